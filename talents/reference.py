"""Reference lists the app starts with: fields, 博士联谊会 committees, the award programmes.

Names follow the source documents (shared/seeds): 濮阳's award programmes and 济宁's
博士联谊会 with its nine committees (信息产业, 新材料, 文化旅游, 医养健康 are named there;
the other five are chosen to fit the city's leading industries).
"""

FIELDS = [
    "化学化工", "新材料", "生物基材料", "石油天然气", "农业与农技推广", "畜牧兽医", "食品科学", "临床医学",
    "公共卫生", "中医药", "生态环境", "信息技术", "智能制造", "机械与装备", "能源电力", "建筑与规划",
    "经济管理", "教育", "文化旅游", "其他",
]

COMMITTEES = [
    ("信息产业", "大数据、软件与电子信息产业的技术交流与对接。"),
    ("新材料", "化工新材料、生物基材料等领域的产学研合作。"),
    ("文化旅游", "运河文化、儒家文化资源的保护利用与文旅融合发展。"),
    ("医养健康", "临床医学、公共卫生与康养产业。"),
    ("高端装备", "工程机械、汽车零部件与智能制造。"),
    ("现代农业", "种业、农机与农产品精深加工。"),
    ("生态环保", "黄河流域生态保护、煤矿塌陷地治理与节能减排。"),
    ("能源化工", "煤盐化工、新能源与储能。"),
    ("金融与经济", "科技金融、产业政策与区域经济研究。"),
]

# (code, name, nominee kind, organisers, max age, min title level, repeat ban, description)
PROGRAMMES = [
    ("yx", "优秀科技工作者", "person", "市科协、市委组织部、市人社局", None, None, 3,
     "表彰在科学研究、技术开发、科技成果推广和科学普及中做出突出贡献的科技工作者。"),
    ("qn", "青年科技奖", "person", "市科协、市委组织部、市人社局", 40, None, 2,
     "促进青年科技人才成长，表彰年龄不超过 40 周岁、成绩突出的青年科技工作者。"),
    ("xs", "优秀学术成果奖", "achievement", "市科协、市人社局", None, None, 0,
     "鼓励科技工作者投身科学研究，促进科技成果转化，评选优秀论文、著作和技术成果。"),
    ("zm", "最美科技工作者", "person", "市科协", None, None, 0,
     "围绕“全国科技工作者日”，宣传科技工作者的先进事迹，弘扬科学家精神。"),
    ("sj", "十佳科技社团", "organization", "市科协", None, None, 0,
     "鼓励学会增强学术影响力、会员凝聚力、社会公信力和服务发展的能力。"),
    ("dt", "学科带头人", "person", "市科协、市委组织部", None, 2, 1,
     "举荐在本学科领域具有较高学术水平、能带领团队攻关的中青年专家，须具有副高级及以上职称。"),
]
