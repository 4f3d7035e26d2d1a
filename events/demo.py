"""Demo events from the source documents, and a few upcoming ones open for sign-up.

Names, dates, places and figures come from ../shared/seeds: the 2020 全国科普日 launch
(300+ activities, 200,000 beneficiaries), the 石化产业技术发展大会 held every year since
2016 and the 2020 生物基材料产业技术发展大会 (52 signed projects and 357 亿元 in all; the
first three 石化 conferences 26 projects and 178 亿元), the 2020-05-29 科技工作者日 seminar,
the service teams' meetings and the visit to six 南乐 enterprises in January 2021, the
2019-01-09 创新驱动发展座谈会 in Beijing and the 2019-02-14 congress. Where the documents
give a total but not its parts (the split of projects between conferences) or no exact day,
the figures below are chosen to add up to the documents' totals. This year's events
(RECENT, a few weeks back) carry outcomes and their teams' hours, so the figures of the year
show recent work.
"""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.files import File
from django.utils import timezone

from association import extensions
from association.demo import recent_day
from association.demo_news import cover_image
from association.models import County, Organization
from association.states import DomainError
from volunteers.models import ServiceTeam, Volunteer
from volunteers.services import records as record_services

from .models import Event, EventOutcome
from .services import registrations as registration_services

K = Event.Kind
ASSOCIATION = "濮阳市科学技术协会"
CORPS = "濮阳市党外专家“科创中国”志愿服务团"
CONFERENCES = "产业技术发展大会"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.get_current_timezone())


# title: (kind, day, start hour, end hour, days, venue, county, organiser, partners, teams, series, summary,
#         description, outcome)
PAST = [
    ("2020年濮阳市全国科普日活动暨中国流动科技馆河南巡展启动仪式", K.POPSCI_DAY, date(2020, 9, 18), 9, 17, 7,
     "濮阳经济技术开发区实验学校", "濮阳经济技术开发区", ASSOCIATION,
     ["科学技术普及部", "濮阳市青少年科技中心", "濮阳经济技术开发区科协"], [], "",
     "全国科普日濮阳主场活动在开发区实验学校启动，全市陆续举办科普系列活动 300 余场。",
     "2020年9月18日，濮阳市全国科普日活动暨中国流动科技馆河南巡展活动在开发区实验学校正式启动。\n"
     "活动期间，市科协在全市范围内陆续举办科普系列活动300余场，直接或间接受益者20万人次，极大提升了全民科学素质。"
     "市科协连续八年被中国科协授予“全国科普日活动先进组织单位”。",
     {"activities_held": 300, "beneficiaries": 200000,
      "notes": "全市陆续举办科普系列活动300余场，直接或间接受益者20万人次。"}),
    ("首届中国（濮阳）石化产业技术发展大会", K.INDUSTRY_CONFERENCE, date(2016, 9, 23), 9, 17, 2,
     "濮阳迎宾馆", "市直", ASSOCIATION, ["学会学术部", "濮阳市化工学会"], [], CONFERENCES,
     "“学会+产业技术大会+项目招商”模式的开端：院士专家与龙头企业共商石化产业发展。",
     "大会邀请全国学会、高校、科研院所、龙头企业等产学研各界院士专家莅濮参会，通过开幕式、大会论坛、产业座谈、"
     "企业调研、成果发布等活动，搭建集引才引智、招商合作为一体的综合性产业技术大会平台。",
     {"participants": 400, "projects_signed": 7, "contract_value": Decimal("450000")}),
    ("第二届中国（濮阳）石化产业技术发展大会", K.INDUSTRY_CONFERENCE, date(2017, 9, 22), 9, 17, 2,
     "濮阳迎宾馆", "市直", ASSOCIATION, ["学会学术部", "濮阳市化工学会"], [], CONFERENCES,
     "院士专家莅濮，大会论坛、产业座谈与项目签约同步举行。",
     "中国科协、河南省科协领导和中国工程院院士等专家应邀出席并致辞。大会举办开幕式、大会论坛、产业座谈、企业调研、"
     "成果发布等活动。其中中国化工集团天津蓝星（濮阳）年产5万吨丁二烯项目已经建成投产，年销售收入8亿元。",
     {"participants": 450, "projects_signed": 9, "contract_value": Decimal("580000")}),
    ("第三届中国（濮阳）石化产业技术发展大会", K.INDUSTRY_CONFERENCE, date(2018, 9, 21), 9, 17, 2,
     "濮阳迎宾馆", "市直", ASSOCIATION, ["学会学术部", "濮阳市化工学会"], [], CONFERENCES,
     "三届大会现场签约项目共26个，签订协议资金178亿元。",
     "中国科协党组成员、书记处书记项昌乐，中国科协原党组成员王延祜，河南省科协党组书记曹奎，"
     "中国工程院院士蹇锡高、舒兴田，濮阳市委书记宋殿宇等专家领导先后应邀出席会议并致辞。\n"
     "河北邯郸盛瑞化工投资15亿元的年产20万吨石脑油/苯加氢项目正式签订投资合同。"
     "2018年，大会获评中国科协创新驱动助力工程示范项目，获奖励资金50万元；市委书记宋殿宇作出“继续举办，办出特色，求实效”的批示。",
     {"participants": 500, "projects_signed": 10, "contract_value": Decimal("750000"),
      "notes": "三届大会现场签约项目共26个，签订协议资金178亿元。"}),
    ("第四届中国（濮阳）石化产业技术发展大会", K.INDUSTRY_CONFERENCE, date(2019, 9, 20), 9, 17, 2,
     "濮阳迎宾馆", "市直", ASSOCIATION, ["学会学术部", "濮阳市化工学会"], [], CONFERENCES,
     "连续第四年举办，石化产业招才引智、招商引资平台作用持续发挥。",
     "探索出“学会+产业技术大会+项目招商”新模式，被省科协在全省进行推广。",
     {"participants": 500, "projects_signed": 14, "contract_value": Decimal("960000")}),
    ("2020中国（濮阳·南乐）生物基材料产业技术发展大会", K.INDUSTRY_CONFERENCE, date(2020, 10, 16), 9, 17, 2,
     "南乐县生物基材料产业园区", "南乐县", ASSOCIATION,
     ["南乐县科协", "濮阳市生物基材料协会", "南乐县生物基材料产业园区科协"], [], CONFERENCES,
     "2016年以来五届大会共签约项目52个、协议资金357亿元。",
     "2020年7月27日，中国化学会与南乐县政府举行网上签约仪式，正式成立南乐生物基产业研究院。"
     "本届大会聚焦生物基材料产业，举行项目签约仪式。\n"
     "2016年以来，在市科协的协调组织下，连续四年成功举办中国（濮阳）石化产业技术发展大会及2020中国（濮阳·南乐）"
     "生物基材料产业技术发展大会，共签约项目52个、协议资金357亿元。",
     {"participants": 350, "projects_signed": 12, "contract_value": Decimal("830000"),
      "notes": "五届大会合计签约项目52个、协议资金357亿元。"}),
    ("濮阳市“全国科技工作者日”座谈会", K.SEMINAR, date(2020, 5, 29), 9, 12, 1,
     "濮阳市科协会议室", "市直", ASSOCIATION, ["办公室"], [], "",
     "16名援鄂医疗队员获得“最美科技工作者”荣誉称号。",
     "2020年5月29日，市科协召开“全国科技工作者日”座谈会，16名援鄂医疗队员获得“最美科技工作者”荣誉称号。"
     "市科协每年开展“最美科技工作者”评选，旨在表彰优秀科技工作者，动员和汇聚全市科技工作者的智慧与力量。",
     {"participants": 40, "notes": "16名援鄂医疗队员获“最美科技工作者”荣誉称号。"}),
    ("乡村振兴服务队集中交流学习活动", K.TRAINING, date(2021, 1, 20), 9, 12, 1,
     "濮阳迎宾馆", "市直", ASSOCIATION, [], ["乡村振兴"], "",
     "邀请市农业农村局副局长朱建璞讲解我市乡村振兴工作，服务队划分为农林、畜牧、食品和其他组。",
     "1月20日，乡村振兴服务队在濮阳迎宾馆组织了集中交流学习活动，邀请市农业农村局副局长朱建璞对我市乡村振兴工作进行讲解。"
     "市科协主席张宏出席并主持会议，乡村振兴服务队队员20多人参加学习。\n"
     "服务队结合专家的专业和意见，划分为农林组、畜牧组、食品组和其他组。",
     {"participants": 22, "notes": "乡村振兴服务队队员20多人参加学习。"}),
    ("化工新材料服务队研讨会", K.SEMINAR, date(2021, 1, 27), 9, 12, 1,
     "濮阳市化工研究所", "华龙区", ASSOCIATION, ["濮阳市化工研究所", "濮阳市化工学会"], ["化工新材料"], "",
     "市科协主席张宏及服务队部分队员共16人参会，全队分为6个工作组。",
     "1月27日，化工新材料服务队在市化工研究所召开研讨会。市科协主席张宏及志愿服务队部分队员等共16人参会。\n"
     "市化工研究所所长、化工新材料服务队队长孟庆臻根据队员专业、特长和工作性质将全队分为6个工作组。"
     "市化工学会秘书长张付杰、濮阳职业技术学院李双妹、市环境监测站郑瑞谦、源博新材料有限公司张永旺、"
     "迈奇化学有限公司刘俊广分别发言并提出建议。",
     {"participants": 16}),
    ("生物基材料服务队赴南乐县调研生物基材料企业", K.SURVEY, date(2021, 1, 22), 9, 17, 1,
     "南乐县生物基材料产业园区", "南乐县", ASSOCIATION,
     ["南乐县科协", "濮阳市生物基材料协会", "青源天仁生物技术有限公司", "龙都天仁生物材料有限公司",
      "星汉生物科技有限公司", "宝格润生物科技有限公司", "曦江生物科技有限公司", "华乐科技有限公司"],
     ["生物基材料"], "",
     "深入青源天仁、龙都天仁、星汉生物、宝格润、曦江生物、华乐科技等6家企业调研对接，征集技术和人才需求。",
     "1月22日，市党外专家“科创中国”志愿服务团团长何建中带领生物基材料志愿服务队前往南乐县调研生物基材料相关企业。"
     "市委统战部副部长王洪涛、市科协主席张宏、市生物基材料协会秘书长吴敏参加调研。\n"
     "服务团一行深入青源天仁、龙都天仁、星汉生物、宝格润、曦江生物、华乐科技等6家企业开展调研对接工作，"
     "与南乐县生物基企业建立了联系，并向调研企业征集了技术和人才需求。",
     {"participants": 15, "notes": "调研企业6家，征集企业技术和人才需求。"}),
    ("濮阳市创新驱动发展座谈会暨市会合作签约仪式", K.SEMINAR, date(2019, 1, 9), 9, 12, 1,
     "北京科技会堂", None, ASSOCIATION, ["学会学术部"], [], "",
     "12个国家级学会等70余人参会，市政府与中国农学会签订合作意向书。",
     "2019年1月，市委副书记邵景良、市政府副市长孙永振率领我市相关部门在北京科技会堂举办濮阳市创新驱动发展座谈会。"
     "中国化学会、中国农学会、中国石油学会、中国国土经济学会、中国机械工程学会等12个国家级学会以及"
     "中关村天合科技成果转化促进中心、中国化工信息中心负责同志等70余人参加会议。\n"
     "会上，市政府与中国农学会签订《合作意向书》，市科协与中国国土经济学会、中国复合材料学会分别签订《战略合作协议书》。",
     {"participants": 70, "notes": "签订合作意向书1份、战略合作协议书2份。"}),
    ("濮阳市科学技术协会第五次代表大会", K.ACADEMIC, date(2019, 2, 14), 9, 17, 1,
     "濮阳市会议中心", "市直", ASSOCIATION, ["办公室"], [], "",
     "全市科协代表共商科协事业发展。",
     "2019年2月14日，市科协召开第五次代表大会。", {}),
    ("濮阳市知识产权战略宣讲暨专利应用工程师培训会", K.TRAINING, date(2017, 6, 15), 9, 17, 1,
     "濮阳市科技咨询服务中心", "市直", ASSOCIATION, ["濮阳市科技咨询服务中心"], [], "",
     "为全市82家企业、130名专利应用工程师作“知识产权及专利信息应用”专题培训。",
     "邀请中国科协企业创新服务中心科技信息项目督查组专家、中国科协咨询服务中心原主任盛小列，"
     "为全市82家企业、130名专利应用工程师及一线创新工程师作“知识产权及专利信息应用”专题培训。"
     "当年新增科技信息应用企业56家。",
     {"participants": 130, "notes": "82家企业参训，当年新增科技信息应用企业56家。"}),
    ("濮阳市军民融合专利技术先进适用科技成果发布会", K.ACADEMIC, date(2017, 11, 10), 9, 12, 1,
     "濮阳市科技咨询服务中心", "市直", ASSOCIATION, [], [], "",
     "重点发布20多项军民融合先进适用技术。",
     "中关村天合科技成果转化促进中心主任朱希铎作《抓科技成果转化促科技经济融合——新机遇新特点新平台新服务》报告，"
     "会上重点发布了20多项军民融合先进适用技术。",
     {"participants": 120, "technologies_promoted": 20}),
    ("科普大篷车进乡村·台前县打渔陈镇梁集村", K.SCIENCE_VAN, date(2020, 11, 6), 9, 16, 1,
     "台前县打渔陈镇梁集村村民文化广场", "台前县", ASSOCIATION, ["科学技术普及部", "台前县科协"], [], "",
     "科普大篷车开进结对帮扶村，科普展品、科普资料和农技咨询送到村民家门口。",
     "科普大篷车进乡村是送科技下乡的品牌活动。“十三五”期间，全市开展送科技下乡、科普大篷车进乡村活动1000余次，"
     "受益农民群众100万人次。",
     {"participants": 600, "beneficiaries": 1500, "materials_distributed": 2000}),
    ("科技助力精准扶贫·农村电商技能人才培训班", K.TRAINING, date(2019, 7, 10), 9, 17, 3,
     "南乐县农村电商科普示范基地", "南乐县", ASSOCIATION, ["南乐县科协", "南乐县农村电商科普示范基地"], [], "",
     "按“四位一体”模式建设农村电商技能人才培训体系。",
     "按照农技协和科普示范基地、农村电商培训基地、示范店铺、科技助力精准扶贫基地等“四位一体”的建设模式，"
     "构建农村电商技能人才培训体系，助力脱贫攻坚。",
     {"participants": 120, "beneficiaries": 800, "materials_distributed": 1000, "technologies_promoted": 6}),
]

# title ({year}: the year the event falls in): (kind, days from today, hour, hours, venue, county, organiser,
#         partners, teams, summary, description, capacity, needs_approval, demo sign-ups)
UPCOMING = [
    ("科普大篷车进校园·华龙区胜利路小学", K.SCIENCE_VAN, 10, 9, 6, "华龙区胜利路小学", "华龙区", ASSOCIATION,
     ["科学技术普及部", "华龙区科协"], [],
     "流动科普展品、科学实验秀和科普讲座走进校园。",
     "科普大篷车携带互动展品走进校园，为同学们带来科学实验秀、科普讲座和展品体验。本场活动面向全校师生，无需网上报名。",
     None, False, 0),
    ("乡村振兴科技服务专家讲座：设施蔬菜冬季管理", K.TRAINING, 15, 9, 3, "濮阳县蔬菜种植农技协培训室", "濮阳县",
     ASSOCIATION, ["濮阳县蔬菜种植农技协"], ["乡村振兴"],
     "乡村振兴服务队农林组专家讲授设施蔬菜越冬管理与病虫害防治。",
     "主讲：乡村振兴服务队农林组专家。内容：日光温室冬季温光管理、常见病虫害绿色防控、水肥一体化。"
     "欢迎种植户、农技协会员报名参加，现场发放技术资料。",
     60, False, 58),
    ("“科创中国”生物基材料技术对接沙龙", K.SEMINAR, 25, 14, 3, "南乐县生物基材料产业园区会议中心", "南乐县",
     ASSOCIATION, ["濮阳市生物基材料协会", "南乐县科协"], ["生物基材料"],
     "服务队专家与园区企业面对面，对接技术与人才需求。",
     "依托中国科协“科创中国”平台，生物基材料服务队专家与园区企业就技术难题、人才需求和成果转化面对面交流。"
     "名额有限，满员后可报名候补。",
     30, False, 33),
    ("{year}年濮阳市青少年机器人竞赛", K.COMPETITION, 19, 8, 9, "濮阳市青少年科技中心", "市直", ASSOCIATION,
     ["濮阳市青少年科技中心"], [],
     "面向全市中小学生的机器人创意与工程挑战赛。",
     "竞赛设机器人创意赛、工程挑战赛两个项目，分小学组、初中组、高中组。请以学校为单位由指导教师报名。",
     120, False, 37),
    ("冬季健康义诊进社区", K.HEALTH_CLINIC, 27, 9, 3, "华龙区胜利路街道社区科普馆", "华龙区", ASSOCIATION,
     ["濮阳市医学会", "华龙区胜利路街道社区科普馆"], [],
     "医学专家义诊、健康咨询和冬季常见病预防科普。",
     "濮阳市医学会组织内科、儿科、中医科专家坐诊，提供免费测血压、血糖和健康咨询，并开展冬季常见病预防科普讲座。",
     100, False, 12),
    ("{year}年新春科普文艺汇演", K.PERFORMANCE, 61, 19, 2, "濮阳市科普主题公园", "濮阳城乡一体化示范区",
     ASSOCIATION, ["科学技术普及部"], [],
     "科普小品、科学实验秀与群众文艺节目同台演出。",
     "以群众喜闻乐见的文艺形式普及科学知识。入场需凭报名审核通过后的签到二维码。",
     300, True, 6),
    ("{year}年濮阳市学术年会", K.ACADEMIC, 110, 9, 8, "濮阳市会议中心", "市直", ASSOCIATION,
     ["学会学术部", "濮阳市化工学会", "濮阳市农学会"], [],
     "以“创新驱动 科技引领 迈向高端”为主题，邀请国家、省级专家作学术报告。",
     "濮阳市学术年会已先后以“创新驱动 科技引领 迈向高端”和“创新驱动助力经济发展”为主题举办，"
     "共聘请国家、省级专家教授45人次，参与科技人员近1万人次。本届年会设主论坛和化工、农业、医学分论坛。",
     200, False, 0),
]

# This year's finished events, so the year's figures show recent work. title: (kind, days ago, hour, hours,
#         venue, county, partners, teams, summary, description, outcome). The teams' members get hours.
RECENT = [
    ("健康义诊进乡村·清丰县韩村镇", K.HEALTH_CLINIC, 6, 9, 3, "清丰县韩村镇卫生院广场", "清丰县",
     ["濮阳市医学会", "清丰县科协"], ["医学科普"],
     "医学科普服务队专家为村民义诊，讲解慢病防治和冬季常见病预防。",
     "医学科普服务队组织内科、中医科、儿科专家8名到韩村镇开展义诊，免费测量血压、血糖，发放健康科普资料，"
     "并为村民讲解高血压、糖尿病等慢病防治知识。",
     {"participants": 180, "beneficiaries": 420, "materials_distributed": 600,
      "notes": "专家8名坐诊，测量血压血糖300余人次。"}),
    ("科普大篷车进乡村·范县陈庄镇", K.SCIENCE_VAN, 20, 9, 6, "范县陈庄镇韩庄村文化广场", "范县",
     ["科学技术普及部", "范县科协"], ["农业科普"],
     "科普大篷车开进村庄，互动展品、科学实验秀和农技咨询送到村民家门口。",
     "科普大篷车携带互动展品开进范县陈庄镇韩庄村，开展科学实验秀、应急避险科普和农技咨询，"
     "农业科普服务队专家现场解答种植养殖问题。",
     {"participants": 450, "beneficiaries": 1200, "materials_distributed": 1500, "technologies_promoted": 2}),
    ("乡村振兴科技培训：莲藕高效种植与病虫害防治", K.TRAINING, 38, 9, 3, "范县莲藕种植农技协培训室", "范县",
     ["范县科协"], ["乡村振兴"],
     "乡村振兴服务队农林组专家讲授莲藕高效种植、病虫害绿色防控技术。",
     "乡村振兴服务队农林组专家围绕莲藕品种选择、水肥管理和病虫害绿色防控授课，并到田间现场指导。",
     {"participants": 85, "beneficiaries": 260, "materials_distributed": 300, "technologies_promoted": 3}),
    ("“科创中国”化工新材料产业技术交流会", K.SEMINAR, 58, 14, 3, "濮阳市化工研究所", "华龙区",
     ["濮阳市化工学会", "濮阳市化工研究所"], ["化工新材料"],
     "化工新材料服务队专家与园区企业交流技术难题，现场达成合作意向。",
     "化工新材料服务队专家与濮阳工业园区、濮阳经济技术开发区的化工企业技术负责人座谈，"
     "就工艺优化、安全生产和新材料开发等问题交流，现场签订技术合作协议2项。",
     {"participants": 60, "projects_signed": 2, "contract_value": Decimal("1200"), "technologies_promoted": 4,
      "notes": "签订技术合作协议2项，协议资金1200万元。"}),
    ("反邪教科普文艺汇演·台前县打渔陈镇", K.PERFORMANCE, 75, 19, 2, "台前县打渔陈镇梁集村村民文化广场", "台前县",
     ["濮阳市反邪教协会办公室", "台前县科协"], ["反邪教"],
     "以文艺演出的形式开展反邪教和科学普及宣传。",
     "反邪教科普宣传服务队以小品、快板和科学实验秀等群众喜闻乐见的形式，引导群众崇尚科学、抵制邪教。",
     {"participants": 500, "beneficiaries": 800, "materials_distributed": 1000}),
]
RECENT_HOURS = Decimal("3")  # per team member at a recent event

# The units with demo accounts (hualong, huagong, yuanbo, shucai) run events of their own, so
# each account finds its own work, sign-ups to handle and rosters to export.
# title ({year} as above): (kind, days from today, hour, hours, venue, county, organiser, partners, teams,
#         summary, description, capacity, needs_approval, demo sign-ups)
UNIT_UPCOMING = [
    ("华龙区{year}年科普日主题活动·胜利路街道", K.POPSCI_DAY, 12, 9, 3, "华龙区胜利路街道社区科普馆", "华龙区",
     "华龙区科协", ["华龙区胜利路街道社区科普馆", "濮阳市气象科技馆"], [],
     "科学实验秀、应急避险体验和气象科普展板走进社区。",
     "华龙区科协联合胜利路街道社区科普馆开展科普日主题活动：青少年科学实验秀、地震与火灾应急避险体验、"
     "气象防灾减灾科普展板和健康生活讲座。欢迎社区居民和中小学生报名参加，现场发放科普资料。",
     80, False, 9),
    ("濮阳市化工学会{year}年学术年会", K.ACADEMIC, 34, 9, 7, "濮阳市化工研究所学术报告厅", "华龙区",
     "濮阳市化工学会", ["濮阳市化工研究所", "濮阳职业技术学院"], [],
     "以“化工新材料与绿色低碳发展”为主题，设大会报告和分组交流。",
     "年会邀请省内高校和企业专家作大会报告，设化工新材料、精细化工、安全环保三个分会场交流。"
     "会员单位科技人员报名参加，经学会秘书处审核后发送参会确认；论文集收录会员投稿论文。",
     120, True, 14),
    ("企业技术讲座：新材料生产安全与工艺优化", K.TRAINING, 8, 14, 3, "河南源博新材料有限公司职工培训中心",
     "濮阳工业园区", "河南源博新材料有限公司科协", ["河南源博新材料有限公司", "濮阳市化工学会"], ["化工新材料"],
     "化工新材料服务队专家为企业技术人员讲解安全生产与工艺优化。",
     "源博新材料公司科协邀请化工新材料服务队专家授课，内容包括危险化学品安全管理、反应过程控制和节能降耗工艺改进，"
     "课后就车间生产中的技术问题现场答疑。面向本公司及园区企业技术人员。",
     50, False, 11),
    ("农技培训：设施蔬菜标准化种植与病虫害绿色防控", K.TRAINING, 17, 9, 3, "濮阳县蔬菜种植农技协培训室", "濮阳县",
     "濮阳县蔬菜种植农技协", ["濮阳县科协"], ["乡村振兴"],
     "乡村振兴服务队农林组专家讲授设施蔬菜标准化种植和病虫害绿色防控。",
     "主讲：乡村振兴服务队农林组专家。内容：日光温室茬口安排、标准化育苗、水肥一体化和黄板诱杀等绿色防控技术，"
     "课后到会员大棚现场指导。欢迎会员和周边种植户报名。",
     40, False, 12),
]
# And a finished event each of 华龙区 and the 学会, with its outcome, for their figures of the year;
# and one of the community science hall below 华龙区科协, so the county's dashboard breaks out
# a unit below it beside its own work.
# title: (kind, days ago, hour, hours, venue, county, organiser, partners, summary, description, outcome)
UNIT_RECENT = [
    ("华龙区科普进校园·岳村镇中心小学", K.POPSCI_DAY, 44, 9, 3, "华龙区岳村镇中心小学", "华龙区", "华龙区科协",
     ["濮阳市青少年科技中心"], "科普展品、科学实验和青少年科技创新作品展走进乡村学校。",
     "华龙区科协组织科普展品和科学实验秀走进岳村镇中心小学，开展青少年科技创新作品展和科普讲座。",
     {"participants": 420, "beneficiaries": 650, "materials_distributed": 500}),
    ("社区科普大讲堂·家庭急救与防灾避险", K.TRAINING, 23, 15, 2, "华龙区胜利路街道社区科普馆", "华龙区",
     "华龙区胜利路街道社区科普馆", ["华龙区科协"], "家庭急救演示、地震与火灾避险知识讲解。",
     "胜利路街道社区科普馆邀请社区医生和消防志愿者为居民讲解心肺复苏、海姆立克急救法和地震、火灾避险要点，"
     "现场演示并分组练习。",
     {"participants": 85, "beneficiaries": 160, "materials_distributed": 120}),
    ("濮阳市化工学会安全生产技术交流会", K.SEMINAR, 66, 14, 3, "濮阳市化工研究所", "华龙区", "濮阳市化工学会",
     ["濮阳市化工研究所"], "会员单位交流危险化学品安全管理和事故隐患排查经验。",
     "化工学会组织会员单位安全负责人交流危险化学品储运安全、双重预防机制建设和事故隐患排查经验。",
     {"participants": 55, "technologies_promoted": 3}),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红志新春燕晨宇轩浩然子涵欣怡"


def _demo_people(title: str, n: int):
    rng = random.Random(f"demo-signups:{title}")
    for i in range(n):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        mobile = f"1{rng.choice('3578')}{rng.randrange(10)}0393{i:04d}"
        yield name, mobile, rng.choice(["", "濮阳市第一中学", "濮阳职业技术学院", "华龙区胜利路街道", "濮阳县蔬菜种植农技协"])


def _team(fragment: str):
    team = ServiceTeam.objects.filter(name__contains=fragment, kind=ServiceTeam.Kind.TEAM).order_by("id").first()
    if team is None:
        corps, _created = ServiceTeam.objects.get_or_create(
            name=CORPS, parent=None, defaults={"kind": ServiceTeam.Kind.CORPS, "founded": date(2020, 12, 28)})
        team, _created = ServiceTeam.objects.get_or_create(
            name=f"{fragment}服务队", parent=corps, defaults={"kind": ServiceTeam.Kind.TEAM})
    return team


def _organizations(names):
    found = {o.name: o for o in Organization.objects.filter(name__in=names)}
    return [found[n] for n in names if n in found]


def _event(title, kind, start, end, venue, county_name, organiser_name, partner_names, team_fragments, **fields):
    organiser = Organization.objects.filter(name=organiser_name).first() or Organization.objects.order_by("id").first()
    county = County.objects.filter(name=county_name).first() if county_name else None
    event, created = Event.objects.get_or_create(
        title=title, start=start,
        defaults={"kind": kind, "end": end, "venue": venue, "county": county, "organiser": organiser, **fields},
    )
    if created:
        event.partners.set(_organizations(partner_names))
        event.teams.set([_team(f) for f in team_fragments])
    return event, created


def _demo_cover(event, index: int) -> None:
    """A stand-in photograph (the demo ships none), re-encoded on save like any upload."""
    event.cover = File(cover_image(event.title, index), name="cover.jpg")
    event.save(update_fields=["cover"])


@extensions.demo_loader(order=40)
def load_events(stdout):
    if not Organization.objects.exists():
        stdout.write("  活动：没有组织数据，跳过")
        return
    for (title, kind, day, hour, end_hour, days, venue, county, organiser, partners, teams, series, summary,
         description, outcome) in PAST:
        start = _at(day, hour)
        end = _at(day + timedelta(days=days - 1), end_hour)
        event, created = _event(
            title, kind, start, end, venue, county, organiser, partners, teams,
            series=series, summary=summary, description=description, status=Event.Status.FINISHED,
            published_at=start - timedelta(days=10),
        )
        if outcome:
            EventOutcome.objects.update_or_create(event=event, defaults=outcome)

    for (title, kind, days_ago, hour, hours, venue, county, partners, teams, summary, description,
         outcome) in RECENT:
        if Event.objects.filter(title=title).exists():
            continue
        start = _at(recent_day(days_ago), hour)
        event, created = _event(
            title, kind, start, start + timedelta(hours=hours), venue, county, ASSOCIATION, partners, teams,
            summary=summary, description=description, status=Event.Status.FINISHED,
            published_at=start - timedelta(days=7),
        )
        EventOutcome.objects.update_or_create(event=event, defaults=outcome)
        _record_team_hours(event)

    today = timezone.localdate()
    signups = 0
    for (title, kind, days_ahead, hour, hours, venue, county, organiser, partners, teams, summary, description,
         capacity, needs_approval, people) in UPCOMING:
        day = today + timedelta(days=days_ahead)
        title = title.format(year=day.year)
        existing = Event.objects.filter(title=title, start__gte=timezone.now()).first()
        if existing:
            continue
        start = _at(day, hour)
        event, created = _event(
            title, kind, start, start + timedelta(hours=hours), venue, county, organiser, partners, teams,
            summary=summary, description=description, status=Event.Status.PUBLISHED,
            published_at=timezone.now(), registration_open=capacity is not None, capacity=capacity,
            registration_deadline=start - timedelta(days=1), waiting_list=True, needs_approval=needs_approval,
        )
        if created and not event.cover:
            _demo_cover(event, len(title) + days_ahead)
        signups += _sign_up_demo_people(event, title, people)
    signups += _load_unit_events(today)
    # Next edition of the conference waits as a draft, ready to publish.
    draft_title = f"{today.year + 1}中国（濮阳）石化产业技术发展大会（筹备中）"
    if not Event.objects.filter(title=draft_title).exists():
        _event(draft_title, K.INDUSTRY_CONFERENCE, _at(today + timedelta(days=200), 9),
               _at(today + timedelta(days=201), 17), "濮阳迎宾馆", "市直", ASSOCIATION, ["学会学术部", "濮阳市化工学会"],
               [], series=CONFERENCES, summary="筹备中。", status=Event.Status.DRAFT)
    stdout.write(f"  活动：往期 {len(PAST) + len(RECENT)} 项（今年 {len(RECENT)} 项），近期 {len(UPCOMING)} 项，"
                 f"各单位自办 {len(UNIT_UPCOMING) + len(UNIT_RECENT)} 项，新增报名 {signups} 人")


def _sign_up_demo_people(event: Event, title: str, people: int) -> int:
    signups = 0
    for name, mobile, organization in _demo_people(title, people):
        try:
            registration_services.register(event_id=event.pk, name=name, mobile=mobile, organization=organization)
            signups += 1
        except DomainError:
            pass
    return signups


def _load_unit_events(today: date) -> int:
    """The demo units' own events (left out for a unit the directory does not hold)."""
    wanted = {row[7] for row in UNIT_UPCOMING} | {row[7] for row in UNIT_RECENT}
    units = set(Organization.objects.filter(name__in=wanted).values_list("name", flat=True))
    for (title, kind, days_ago, hour, hours, venue, county, organiser, partners, summary, description,
         outcome) in UNIT_RECENT:
        if organiser not in units or Event.objects.filter(title=title).exists():
            continue
        start = _at(recent_day(days_ago), hour)
        event, _created = _event(
            title, kind, start, start + timedelta(hours=hours), venue, county, organiser, partners, [],
            summary=summary, description=description, status=Event.Status.FINISHED,
            published_at=start - timedelta(days=10),
        )
        EventOutcome.objects.update_or_create(event=event, defaults=outcome)
    signups = 0
    for (title, kind, days_ahead, hour, hours, venue, county, organiser, partners, teams, summary, description,
         capacity, needs_approval, people) in UNIT_UPCOMING:
        day = today + timedelta(days=days_ahead)
        title = title.format(year=day.year)
        if organiser not in units or Event.objects.filter(title=title, start__gte=timezone.now()).exists():
            continue
        start = _at(day, hour)
        event, _created = _event(
            title, kind, start, start + timedelta(hours=hours), venue, county, organiser, partners, teams,
            summary=summary, description=description, status=Event.Status.PUBLISHED,
            published_at=timezone.now(), registration_open=True, capacity=capacity,
            registration_deadline=start - timedelta(days=1), waiting_list=True, needs_approval=needs_approval,
        )
        signups += _sign_up_demo_people(event, title, people)
    return signups


def _record_team_hours(event: Event) -> None:
    """The teams that took part log their members' hours for the event, confirmed."""
    for team in event.teams.all():
        members = list(
            Volunteer.objects.filter(status=Volunteer.Status.APPROVED, memberships__team__in=[team, *team.children.all()])
            .distinct().order_by("id")[:8]
        )
        if members:
            record_services.record_hours(volunteer_ids=[m.pk for m in members], hours=RECENT_HOURS,
                                         date=timezone.localtime(event.start).date(), title=event.title, activity=event,
                                         team_id=team.pk, recorded_by=None, confirm=True)
