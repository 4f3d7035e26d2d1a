"""Demo and synthetic news, and the fixed pages.

The demo articles retell what the source documents report (濮阳市科协's service-corps
newspaper page, its 13th five-year review and its profile): real names, dates and
figures. Where a document gives only the month or the year, the day is the first
working day after it was reported. Synthetic articles for benchmarks are built from the
same sentences, deterministically: article ``i`` is the same at every scale.
"""

import io
import multiprocessing
import random
import re
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from . import extensions
from .chinese_search import document_vector
from .demo import recent_day
from .formatting import chinese_date, chinese_month_day
from .models import Article, Page
from .richtext import excerpt
from .services import news as news_services

C = Article.Category
ASSOCIATION = "濮阳市科协"


def _html(*paragraphs: str) -> str:
    parts = []
    for p in paragraphs:
        if p.startswith("## "):
            parts.append(f"<h2>{p[3:]}</h2>")
        else:
            parts.append(f"<p>{p}</p>")
    return "".join(parts)


# (date, category, title, source, author, cover headline or "", paragraphs)
ARTICLES = [
    (
        "2020-12-28", C.ASSOCIATION_NEWS,
        "市委统战部、市科协联合成立濮阳市党外专家“科创中国”志愿服务团",
        ASSOCIATION, "", "71名党外专家组成\n“科创中国”志愿服务团",
        [
            "为打造“科创中国”濮阳样板间，汇聚党外人才优势，2020年12月28日，市委统战部、市科协联合成立了由71名党外专家组成的“濮阳市党外专家‘科创中国’志愿服务团”（12名民革、13名民盟、7名民建、17名民进、4名农工党、10名九三学社、3名无党派、5名新阶层）。",
            "服务团立足全市产业发展大局，划分化工新材料、生物基材料和乡村振兴3个服务队，通过开展技术服务、技术咨询、科技成果转化等工作，在全市科技界树起了一面服务科技经济深度融合的新旗帜。",
            "市委常委、统战部部长黄旭东在服务团成立会议上强调，濮阳市积极推动“科创中国”创新枢纽城市试点市建设，以科技工作者为根本依靠，以平台型组织为生态核心，以跨领域协作为破题之举，各项工作取得积极进展和显著成效。组建服务团是建设“科创中国”创新枢纽城市试点市的一项重要内容，服务团要发挥跨学科、跨领域的优势，围绕重点产业领域深入调研、建言献策、助力科学决策，积极投身经济建设主战场。",
            "市科协主席张宏表示，成立市党外专家“科创中国”志愿服务团是市科协建设我市“人才库”的重要内容，是优化科技人才投身经济主战场可持续服务机制的一次探索。服务团成员将承担起“联络员”“帮扶员”和“宣传员”的重要职能：作为“联络员”，要深入基层、深入相关企业做好调研工作，摸清乡村振兴及企业发展中存在的问题；作为“帮扶员”，要立足问题症结，通过我市现有资源和中国科协科技经济融通平台等创新平台帮助服务对象实现创新发展；作为“宣传员”，要及时总结工作中的经验做法，扩大服务团的影响力，打造“科创中国”濮阳样板间。",
            "市政协副主席、民进濮阳市委主委、服务团团长何建中表示，服务团的71名专家有教授级高工、工程师、高级农艺师、主任医师，涉及化工、农业、医学、生态等多个研究领域，在各自的工作岗位上都是拔尖的科研人员。服务团将深入基层、深入企业，建立长效服务机制，为科技创新、成果转化提供志愿服务。",
        ],
    ),
    (
        "2021-01-20", C.ASSOCIATION_NEWS,
        "乡村振兴服务队开展集中交流学习活动",
        ASSOCIATION, "", "乡村振兴服务队\n集中交流学习",
        [
            "1月20日，濮阳市党外专家“科创中国”志愿服务团乡村振兴服务队在濮阳迎宾馆组织了集中交流学习活动，邀请市农业农村局副局长朱建璞对我市乡村振兴工作进行讲解。市科协主席张宏出席并主持会议，乡村振兴服务队队员20多人参加学习。",
            "朱建璞对实施乡村振兴的背景、意义及目标任务向大家作了介绍，并围绕我市农业农村现状如何开展好乡村振兴工作等方面进行了重点讲解。",
            "服务队结合专家的专业和意见，划分为农林组、畜牧组、食品组和其他组。队员们纷纷表示，要积极响应国家号召，充分发挥自身专业优势，助力农业农村现代化，为全面推进乡村振兴贡献智慧和力量。",
        ],
    ),
    (
        "2021-01-22", C.GRASSROOTS,
        "服务团赴南乐县调研生物基材料企业",
        ASSOCIATION, "", "生物基材料服务队\n走进南乐六家企业",
        [
            "1月22日，市党外专家“科创中国”志愿服务团团长何建中带领生物基材料志愿服务队前往南乐县调研生物基材料相关企业。市委统战部副部长王洪涛、市科协主席张宏、市生物基材料协会秘书长吴敏参加调研，南乐县县委书记刘冰、县长曹拥军陪同调研。",
            "服务团一行前往南乐县生物基材料产业园区，深入青源天仁、龙都天仁、星汉生物、宝格润、曦江生物、华乐科技等6家企业开展了调研对接工作。生物基材料志愿服务队与南乐县生物基企业建立了联系，并向调研企业征集了技术和人才需求，为今后进一步做好服务打下基础。",
            "下一步，生物基材料志愿服务队将依托中国科协“科创中国”平台，引导生物基材料相关技术、人才、数据等要素向企业一线汇聚，促进生物基材料领域专家与园区企业开展合作，推动优势技术项目转移和成果转化，降低生物基材料企业生产成本，破解企业发展难题。",
        ],
    ),
    (
        "2021-01-27", C.SOCIETY,
        "化工新材料服务队在市化工研究所召开研讨会",
        ASSOCIATION, "本通", "化工新材料服务队\n研讨会召开",
        [
            "1月27日，化工新材料服务队在市化工研究所召开研讨会。市科协主席张宏及志愿服务队部分队员等共16人参会。会议就志愿服务队今后如何开展工作进行了交流和探讨，张宏对服务队工作开展提出了要求。",
            "市化工研究所所长、化工新材料服务队队长孟庆臻在征求大家意见的基础上，根据队员专业、特长和工作性质将全队分为6个工作组，各工作组组长和队员分别作了发言。",
            "市化工学会秘书长张付杰对服务队开展服务的方式、内容和遇到的问题等方面提出了建议。濮阳职业技术学院李双妹就学院能源与化学工程系情况进行了介绍。市环境监测站郑瑞谦从环境保护方面提出了服务意见。源博新材料有限公司张永旺、迈奇化学有限公司刘俊广分别介绍了企业情况，并从企业的角度对服务队开展志愿服务提出了问题和建议。",
        ],
    ),
    (
        "2020-09-18", C.POPSCI,
        "濮阳市全国科普日活动暨中国流动科技馆河南巡展活动启动",
        ASSOCIATION, "", "全国科普日\n流动科技馆河南巡展",
        [
            "2020年9月18日，濮阳市全国科普日活动暨中国流动科技馆河南巡展活动在开发区实验学校正式启动。",
            "活动期间，市科协在全市范围内陆续举办科普系列活动300余场，直接或间接受益者20万人次，极大提升了全民科学素质。",
            "市科协连续八年被中国科协授予“全国科普日活动先进组织单位”。",
        ],
    ),
    (
        "2020-05-29", C.ASSOCIATION_NEWS,
        "我市召开“全国科技工作者日”座谈会 16名援鄂医疗队员获“最美科技工作者”称号",
        ASSOCIATION, "", "",
        [
            "2020年5月29日，我市召开“全国科技工作者日”座谈会，16名援鄂医疗队员获得“最美科技工作者”荣誉称号。",
            "我市每年开展的“最美科技工作者”评选，旨在表彰优秀科技工作者，动员和汇聚全市科技工作者的智慧与力量，为我市实现高质量发展作出新的更大贡献。",
            "市科协负责人介绍，市科协是市委、市政府联系全市科技工作者的桥梁和纽带，是科技工作者的“娘家人”。在每年5月30日“全国科技工作者日”期间，市科协都要组织开展看望慰问科技工作者、座谈会、报告会、宣传科技工作者先进事迹等活动，营造尊重知识、尊重人才、尊重创造的浓厚氛围。",
        ],
    ),
    (
        "2020-06-04", C.ASSOCIATION_NEWS,
        "濮阳市入选全国首批“科创中国”创新枢纽城市试点市",
        ASSOCIATION, "", "全国首批“科创中国”\n创新枢纽城市试点市",
        [
            "2020年6月4日，濮阳市被中国科协确定为首批“科创中国”创新枢纽城市试点市（全国22个），是河南省唯一入选的省辖市。",
            "“科创中国”是中国科协围绕服务科技经济融合发展打造的创新、创业、创造服务品牌，旨在发挥科协组织人才智力资源和组织网络优势，以试点市建设为依托，连接全国学会、地方科协以及国内外各方面创新资源，助力区域经济社会高质量发展。",
            "2017年6月，我市被中国科协正式批复为“全国创新驱动示范市”，标志着濮阳站在了创新驱动发展的新起点上。此次入选，为我市又增添了一块“国字号”招牌。",
        ],
    ),
    (
        "2020-09-15", C.ASSOCIATION_NEWS,
        "副省长霍金花对我市入选“科创中国”首批试点城市作出批示",
        ASSOCIATION, "", "",
        [
            "2020年9月14日，副省长霍金花作出批示：“濮阳市成功入选‘科创中国’首批试点城市，成绩值得肯定，望省科协和濮阳市抓住机遇，持续深化与中国科协及全国学会的对接工作，打造全国、全省示范‘样板间’。”",
            "按照中国科协要求，市委、市政府成立了“科创龙都”服务科技经济融合发展工作领导小组，制定了《濮阳市“科创龙都”服务科技经济融合发展行动实施方案》，提出打造“科创龙都”平台，实施“12510”工程。",
        ],
    ),
    (
        "2021-01-11", C.ASSOCIATION_NEWS,
        "市科协2020年度工作在全省各省辖市科协综合评价中排名第一",
        ASSOCIATION, "", "2020年度工作\n全省省辖市科协第一",
        [
            "2021年新年伊始，濮阳市科协即收到两个好消息：省科协对各省辖市科协2020年度工作情况进行综合评价，市科协2020年度工作在各省辖市科协中排名第一；在市委七届十三次全会暨市委经济工作会议上，市委书记宋殿宇在回顾2020年工作时特地指出，我市2020年共获得全国表彰三项，被命名为“科创中国”创新枢纽城市试点市即是其中一项。",
            "看得见的是成绩，看不见的是付出。省辖市综合评价第一名的成绩和市委书记的表扬，既是对市科协2020年工作的肯定，也是对其过去五年持之以恒努力的回报。",
            "五年来，全市各级科协组织切实履行“为科技工作者服务、为创新驱动发展服务、为提高公民科学素质服务、为党和政府科学决策服务”的职责，为濮阳经济社会发展提供了澎湃的科技动力。",
        ],
    ),
    (
        "2021-01-29", C.MEDIA,
        "“十三五”期间濮阳高质量发展的“科协贡献”",
        "濮阳日报", "", "",
        [
            "## 创新驱动，为濮阳经济社会发展提供“科技动力”",
            "2016年以来，在市科协的协调组织下，连续四年成功举办中国（濮阳）石化产业技术发展大会及2020中国（濮阳·南乐）生物基材料产业技术发展大会，共签约项目52个、协议资金357亿元，探索出“学会+产业技术大会+项目招商”新模式，被省科协在全省进行推广。2018年，市科协获评中国科协创新驱动助力工程示范项目，获奖励资金50万元。",
            "## 科学普及，为全民素质提升奉献“科技大脑”",
            "针对农村农民，建设乡村科普e站263个，开展送科技下乡、科普大篷车进乡村活动1000余次，受益农民群众100万人次。针对未成年人，开展科技创新大赛、机器人竞赛、高校科学营等活动，每年有3万余名在校中小学生参与，五年来我市青少年共获得国家级奖项61项。协同开展全国科普日、科技活动周、食品安全宣传周、科技“三下乡”等大型科普活动900余场次，参与人员540余万人次。",
            "## 精准服务，做好科技工作者的“贴心娘家”",
            "联合市委组织部、市人社局开展4届“濮阳市优秀科技工作者”评选活动，评选表彰科技工作者134人次；连续开展2届“濮阳市青年科技奖”评选，先后有78名青年科技工作者脱颖而出；会同市人社局评选了4届“濮阳市优秀学术成果奖”。",
            "## 招才引智，为党和政府科学决策当好“科技智囊”",
            "2020年7月以来，中国科协挂点工作组、中国国土经济学会、中国化学会等13个国家级、3个省级科技服务团，6名院士、93位知名专家先后10余次来我市调研。市科协联合市委统战部遴选71名副高级以上职称的党外科技工作者，组成党外专家“科创中国”志愿服务团。",
        ],
    ),
    (
        "2020-09-30", C.ASSOCIATION_NEWS,
        "北京中科星链大数据技术研究院Yotta（尧它）生态基地项目落户我市",
        ASSOCIATION, "", "",
        [
            "2020年9月30日，北京中科星链大数据技术研究院Yotta（尧它）生态基地项目落户我市。这是市科协牵头联系，市大数据局、开发区和北京中关村书生集团共同签约的科技项目，是“科创中国”试点市重大招商成果。",
            "该项目总投资15亿元，计划共同打造“科创中国”亮点品牌。",
        ],
    ),
    (
        "2020-07-27", C.SOCIETY,
        "中国化学会与南乐县政府网上签约 南乐生物基产业研究院成立",
        ASSOCIATION, "", "",
        [
            "为推进“科创中国”创新枢纽城市试点市建设，市科协积极搭建科技经济融合平台。2020年7月27日，中国化学会与南乐县政府举行网上签约仪式，正式成立南乐生物基产业研究院。",
            "为组建我市专家团队，市科协成立“科创龙都”联络员队伍。",
        ],
    ),
    (
        "2020-03-02", C.POPSCI,
        "市科协线上线下同步开展新冠肺炎疫情防控应急科普",
        ASSOCIATION, "", "",
        [
            "突如其来的新冠肺炎疫情发生后，市科协迅速行动，组织动员科技工作者发挥优势和专长，利用微信、科普e站、科普媒屏、网站等平台和编印新冠肺炎防控科普知识宣传册、组建新冠肺炎防控服务队等方式，线上、线下同步开展应急科普宣传。",
            "市科协组织学会农业专家成立“抗疫情、稳生产、促发展”农业专家走基层服务队，为我市疫情防控和复工复产作出了贡献。市科协被省委宣传部、省科协评为全省新冠肺炎疫情防控应急科普工作先进集体。",
        ],
    ),
    (
        "2019-02-14", C.ASSOCIATION_NEWS,
        "濮阳市科学技术协会第五次代表大会召开",
        ASSOCIATION, "", "",
        [
            "2019年2月14日，濮阳市科学技术协会第五次代表大会召开。",
            "大会总结了市科协第四次代表大会以来的工作，部署了今后五年的任务。全市科协组织将坚持“四服务”的职能定位，强化对科技工作者的政治引领，助推科技繁荣与发展，助推科学普及和推广。",
        ],
    ),
    (
        "2019-05-30", C.ASSOCIATION_NEWS,
        "中国科协乡村振兴科技党校落户濮阳",
        ASSOCIATION, "", "",
        [
            "2019年5月30日，中国科协党组书记、常务副主席、书记处第一书记怀进鹏代表中国科协向农村党支部书记学院授牌，中国科协乡村振兴科技党校落户濮阳。",
        ],
    ),
    (
        "2019-01-09", C.SOCIETY,
        "濮阳市创新驱动发展座谈会暨市会合作签约仪式在京举行",
        ASSOCIATION, "", "",
        [
            "2019年1月，市委副书记邵景良、市政府副市长孙永振率领我市相关部门在北京科技会堂举办了濮阳市创新驱动发展座谈会。中国科协学会学术部、调宣部、国际联络部和河南省科协有关领导出席会议并致辞。",
            "中国化学会、中国农学会、中国石油学会、中国国土经济学会、中国机械工程学会等12个国家级学会以及中关村天合科技成果转化促进中心、中国化工信息中心负责同志等70余人参加会议。会上，市政府与中国农学会签订了《合作意向书》，市科协与中国国土经济学会、中国复合材料学会分别签订了《战略合作协议书》。",
        ],
    ),
    (
        "2018-11-09", C.ASSOCIATION_NEWS,
        "《濮阳市科协系统深化改革实施方案》经市委深改组会议审议通过",
        ASSOCIATION, "", "",
        [
            "11月8日，市委书记宋殿宇主持召开市委深改组会议，原则审议通过了《濮阳市科协系统深化改革实施方案》。《方案》共梳理分解4方面35项改革任务。",
            "市科协将围绕改革方案精神，在机关职能优化设置、拓宽科协干部交流成长渠道等方面积极实施改革举措。各县（区）科协也将结合实际相继出台改革方案并扎实推进。",
        ],
    ),
    (
        "2018-12-28", C.GRASSROOTS,
        "市科协结对帮扶台前县打渔陈镇梁集村",
        ASSOCIATION, "", "",
        [
            "市科协扎实开展结对帮扶村脱贫工作，出资7万余元，为台前县打渔陈镇梁集村11家贫困户引进了孔雀养殖项目，据核算，每户每年可增收3000余元。",
            "市科协还出资3万元，帮助该村修建了村民文化广场，并争取体育器材10余件（套）；协调相关部门为该村修缮道路3公里，改善了村民出行环境。",
        ],
    ),
    (
        "2018-12-20", C.GRASSROOTS,
        "我市农村电商技能人才培训扎实起步",
        ASSOCIATION, "", "",
        [
            "根据《河南省农村电商人才培训工作方案》，市科协确立了我市农村电商技能人才培训三年行动计划，按照农技协和科普示范基地、农村电商培训基地、示范店铺、科技助力精准扶贫基地等“四位一体”建设的模式，建立农村电商技能人才培训体系。",
            "全市共申报评定农村电商技能人才培训基地12个，建立农村电商示范店铺34个，培训农村电商技能人才2100余人，农村电商科普受益人员16800余人。",
        ],
    ),
    (
        "2018-12-25", C.POPSCI,
        "226个农村广场建成LED科普大屏",
        ASSOCIATION, "", "",
        [
            "市科协积极实施科普信息化示范县创建工作，先后争取省科协、省财政厅奖补资金400万元，在南乐县、范县、清丰县、台前县226个农村广场建设LED科普大屏，逐步实现科普信息化进村、入户、到人。",
            "全市新建乡村、社区、校园科普e站263个，开设“濮阳科协”微信公众平台，累计投放科普信息3000余条。",
        ],
    ),
    # 通知公告: what the documents say the association announced to the public.
    (
        "2020-12-29", C.NOTICE,
        "濮阳市党外专家“科创中国”志愿服务团组成情况公告",
        ASSOCIATION, "", "",
        [
            "经市委统战部、市科协研究，濮阳市党外专家“科创中国”志愿服务团于2020年12月28日成立，由71名党外专家组成，其中民革12名、民盟13名、民建7名、民进17名、农工党4名、九三学社10名、无党派3名、新阶层5名。",
            "服务团下设化工新材料、生物基材料和乡村振兴3个服务队。各服务队根据队员专业、特长和工作性质划分工作组，承担“联络员”“帮扶员”“宣传员”职能。",
            "需要技术服务、技术咨询或科技成果转化服务的企业、乡村，可拨打市科协科技服务热线8800110联系。",
        ],
    ),
    (
        "2020-05-20", C.NOTICE,
        "关于开展2020年“全国科技工作者日”系列活动的通知",
        ASSOCIATION, "", "",
        [
            "各县（区）科协、各学会：",
            "5月30日是“全国科技工作者日”。市科协将组织开展看望慰问科技工作者、座谈会、报告会、宣传科技工作者先进事迹等活动，并开展2020年度“最美科技工作者”评选。请各单位结合实际组织好本地区、本领域的活动。",
        ],
    ),
    (
        "2018-12-10", C.NOTICE,
        "面向全市企业征集技术需求和人才需求",
        ASSOCIATION, "", "",
        [
            "濮阳市科技成果转化服务中心面向全市企业常年征集技术需求和人才需求，建立国家级、省级学会与我市企业对接交流的平台。",
            "截至2018年底，中心共征集98家企业相关技术及人才需求140余项，并通过运管网站发布89项有效技术需求，涵盖全市大中小型各类企业。欢迎企业通过本网站“技术需求”栏目提交需求。",
        ],
    ),
    (
        "2018-06-01", C.NOTICE,
        "科技工作者线上法律咨询服务开通",
        ASSOCIATION, "", "",
        [
            "为健全维护科技工作者权益机制，市科协聘请专业律师组成法律咨询服务团队，为全市科技工作者提供线上法律咨询与维护服务。",
            "科技工作者在科研诚信、知识产权、劳动权益等方面遇到问题，可通过科技服务热线8800110预约咨询。",
        ],
    ),
]



def recent_articles(today=None) -> list[tuple]:
    """This year's news, as ARTICLES: the recent work the other apps' demo data shows (the same
    days as events.demo.RECENT and the sign-up for the robot contest 19 days from now)."""
    today = today or timezone.localdate()
    contest = today + timedelta(days=19)
    deadline = contest - timedelta(days=1)

    def day(days_ago: int) -> str:
        return recent_day(days_ago, today).isoformat()

    return [
        (
            day(5), C.POPSCI, "医学科普服务队赴清丰县韩村镇开展健康义诊", ASSOCIATION, "", "",
            [
                "近日，市科协组织医学科普服务队内科、中医科、儿科专家8名，到清丰县韩村镇开展“健康义诊进乡村”志愿服务活动。",
                "专家们为村民免费测量血压、血糖300余人次，耐心解答健康咨询，并结合冬季气候特点讲解高血压、糖尿病等慢病防治知识，"
                "现场发放健康科普资料600余份。",
            ],
        ),
        (
            day(10), C.NOTICE, f"关于举办{contest.year}年濮阳市青少年机器人竞赛的通知", ASSOCIATION, "", "",
            [
                "各县（区）科协、教育局，各中小学：",
                f"为激发青少年的科学兴趣，培养创新精神和实践能力，市科协定于{chinese_date(contest)}"
                "在濮阳市青少年科技中心举办濮阳市青少年机器人竞赛。",
                "竞赛设机器人创意赛、工程挑战赛两个项目，分小学组、初中组、高中组。请以学校为单位由指导教师在本网站“活动”栏目报名，"
                f"报名截止时间为{chinese_month_day(deadline)}。",
            ],
        ),
        (
            day(19), C.GRASSROOTS, "科普大篷车开进范县陈庄镇韩庄村", ASSOCIATION, "", "科普大篷车\n开进范县陈庄镇",
            [
                "近日，市科协科普大篷车开进范县陈庄镇韩庄村，为村民送去了一场“科普盛宴”。",
                "互动展品、科学实验秀和应急避险科普吸引了大批村民和学生参与，农业科普服务队专家现场解答种植养殖问题。"
                "活动受益群众1200余人次，发放科普资料1500余份。",
            ],
        ),
        (
            day(37), C.ASSOCIATION_NEWS, "乡村振兴服务队赴范县开展莲藕种植技术培训", ASSOCIATION, "", "乡村振兴服务队\n送技术到田间",
            [
                "为助力乡村振兴，市党外专家“科创中国”志愿服务团乡村振兴服务队农林组专家走进范县莲藕种植农技协，"
                "围绕莲藕品种选择、水肥管理和病虫害绿色防控开展技术培训。",
                "培训结束后，专家们来到藕田现场指导，85名种植户参加培训，推广新技术3项。",
            ],
        ),
        (
            day(57), C.SOCIETY, "“科创中国”化工新材料产业技术交流会在市化工研究所召开", ASSOCIATION, "",
            "化工新材料\n产业技术交流会",
            [
                "近日，由市科协主办、市化工学会和市化工研究所承办的“科创中国”化工新材料产业技术交流会召开。",
                "化工新材料服务队专家与濮阳工业园区、濮阳经济技术开发区的化工企业技术负责人座谈，就工艺优化、安全生产和新材料开发等问题深入交流，"
                "现场签订技术合作协议2项，协议资金1200万元。",
            ],
        ),
    ]


PINNED = {"市委统战部、市科协联合成立濮阳市党外专家“科创中国”志愿服务团", "市科协2020年度工作在全省各省辖市科协综合评价中排名第一"}

# slug: (title, paragraphs), from the association's profile.
PAGES = {
    "organization": ("机构设置", [
        "濮阳市科学技术协会内设3个部（室）：办公室、学会学术部、科学技术普及部。",
        "下辖4个事业单位：濮阳市青少年科技中心、濮阳市反邪教协会办公室、濮阳市科学技术普及中心、濮阳市科技咨询服务中心。",
        "## 基层组织",
        "各县（区）科协在所有乡（镇）都建立了科协组织。全市老科协、反邪教协会、高校科协、企业科协、产业集聚区科协组织建设深入推进，新兴领域科协组织、科普组织建设不断拓展。报请市委组织部批准设立了市科技社团党委，推动所属全市学会建立党支部。",
        "全市共创建农村科普示范基地366个，发展农村专业技术协会652个，培养农村科普带头人1770名。",
    ]),
    "duties": ("职责定位", [
        "习近平总书记在“科技三会”上的重要讲话和中共中央办公厅印发的《科协系统深化改革实施方案》确定了科协的“三三四”定位：成为党领导下团结联系广大科技工作者的人民团体，提供科技类公共服务产品的社会组织，国家创新体系的重要组成部分；打造开放型、枢纽型、平台型科协组织；为科技工作者服务，为创新驱动发展服务，为提高全民科学素质服务，为党和政府科学决策服务（简称“四服务”）。",
        "## 组织性质",
        "濮阳市科协是全市科技工作者的群众组织，是市委领导下的人民团体，是市委市政府联系广大科技工作者的桥梁和纽带，是推动全市科技事业发展的重要力量。",
        "濮阳市科协是市政协的组成界别之一，是市人才工作领导小组成员单位、是市全民科学素质工作领导小组办公室、是全市科普工作的主要社会力量，是服务党委政府科学决策的科技创新智库。",
    ]),
    "leadership": ("领导体制", [
        "濮阳市科协由中共濮阳市委直接领导，市委副书记分管科协工作，市政府分管科技工作的副市长联系科协工作。",
        "濮阳市科协执行《中国科学技术协会章程》，实行全市代表大会、全委会、常委会领导制度。",
    ]),
    "work": ("履职情况", [
        "全市各级科协组织深入学习贯彻习近平新时代中国特色社会主义思想，以科协系统深化改革为动力，坚持凝聚科技社团、凝聚科技工作者、凝聚科协干部群众，切实履行“四服务”职责，社会影响力和组织凝聚力明显提升。",
        "## 服务创新驱动发展和经济建设",
        "自2016年以来，连续成功举办三届中国（濮阳）石化产业发展大会，现场签约项目共26个，签订协议资金178亿元。2018年，获评中国科协创新驱动助力工程示范项目。挂牌成立濮阳市科技成果转化服务中心，截至2018年底共征集98家企业相关技术及人才需求140余项，发布89项有效技术需求。我市被中国科协命名为2017年度全国创新驱动示范市。",
        "## 服务全民科学素质提高",
        "建设乡村科普e站263个，开展科普大篷车进乡村等活动800余次，受益农民群众90万人次；协同开展全国科普日、科技活动周、食品安全宣传周、科技三下乡等大型科普活动900多场次，540余万人次参与。创建市气象科技馆等全国科普教育基地2家，范县黄河藕业科普教育基地等省、市级科普教育基地40家。",
        "## 竭诚服务科技工作者",
        "开展四届“濮阳市优秀科技工作者”评选，表彰科技人员134人次；连续开展两届“濮阳市青年科技奖”评选，78名青年科技工作者获奖；评选四届“濮阳市优秀学术成果奖”；举办两届濮阳市学术年会，参与科技人员1万余人次。",
        "## 科技助力精准扶贫",
        "组织动员全市310名科技人员开展送科技下乡活动，举办各类培训讲座110期，推广新品种、新技术188项，培训贫困群众8700余人次。全市共创建农村科普示范基地366个，发展农村专业技术协会652个，培养农村科普带头人1770名。",
        "（本简介有关数据截至2018年12月底。）",
    ]),
    "contact": ("联系我们", [
        "欢迎科技工作者、企业和社会各界通过以下方式与我们联系。科技服务热线8800110为公众提供科技咨询与科普服务；也可关注“濮阳科协”微信公众平台了解最新动态。",
    ]),
}
PAGE_ORDER = ["organization", "duties", "leadership", "work", "contact"]


def _local(day: str, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(datetime.strptime(day, "%Y-%m-%d").date(), time(hour, 30)))


def cover_image(headline: str, index: int) -> io.BytesIO:
    """A stand-in photograph for a demo article (no real photos ship with the demo): a
    blurred scene of a hall or a square with a stage, a red banner and a crowd, drawn with
    Pillow from ``index`` so that each article has its own. The headline is the caption on
    the page, never text in the picture."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(index * 7919 + len(headline))
    width, height = 1280, 720
    indoor = index % 3 != 1
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    top, bottom = ((58, 52, 50), (120, 104, 92)) if indoor else (
        (rng.randint(90, 130), rng.randint(140, 175), rng.randint(200, 235)), (214, 226, 236))
    horizon = int(height * rng.uniform(0.42, 0.52))
    for y in range(horizon):
        t = y / horizon
        draw.line([(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    ground = (150, 132, 112) if indoor else (128, 132, 126)
    draw.rectangle([0, horizon, width, height], fill=ground)
    if indoor:  # ceiling lights, a stage and its red backdrop
        for x in range(80, width, 160):
            draw.ellipse([x - 18, 30, x + 18, 48], fill=(255, 244, 214))
        stage_left, stage_right = rng.randint(140, 260), width - rng.randint(140, 260)
        draw.rectangle([stage_left, horizon - 230, stage_right, horizon - 20], fill=(168, 24, 30))
        draw.rectangle([stage_left + 30, horizon - 200, stage_right - 30, horizon - 150], fill=(196, 48, 44))
        draw.rectangle([stage_left, horizon - 20, stage_right, horizon + 30], fill=(92, 64, 48))
        screen = rng.randint(stage_left + 80, stage_right - 380)
        draw.rectangle([screen, horizon - 140, screen + 300, horizon - 40], fill=(210, 224, 240))
    else:  # trees and buildings behind, tents and a banner in front
        for _ in range(14):
            x, h = rng.randint(0, width), rng.randint(60, 180)
            draw.rectangle([x, horizon - h, x + rng.randint(60, 140), horizon], fill=(rng.randint(170, 205),) * 3)
        for _ in range(26):
            x, r = rng.randint(0, width), rng.randint(30, 60)
            draw.ellipse([x - r, horizon - 2 * r, x + r, horizon + 10], fill=(52, rng.randint(100, 130), 60))
        for i in range(4):
            x = 80 + i * 300 + rng.randint(-30, 30)
            colour = (236, 240, 245) if i % 2 else (40, 96, 176)
            draw.polygon([(x, horizon + 10), (x + 110, horizon - 60), (x + 220, horizon + 10)], fill=colour)
            draw.rectangle([x + 10, horizon + 10, x + 210, horizon + 90], fill=colour)
        draw.rectangle([width // 2 - 300, horizon - 150, width // 2 + 300, horizon - 95], fill=(196, 30, 36))
    clothes = [(38, 58, 96), (150, 46, 46), (214, 214, 210), (44, 44, 48), (70, 100, 80), (180, 150, 70), (96, 96, 120)]
    for row in range(5):  # the crowd, larger towards the camera
        y = horizon + 60 + row * 56 + row * row * 6
        size = 14 + row * 6
        x = rng.randint(-size, size)
        while x < width + size:
            body = rng.choice(clothes)
            draw.rounded_rectangle([x - size, y, x + size, y + size * 3], radius=size // 2, fill=body)
            skin = (rng.randint(200, 235), rng.randint(160, 190), rng.randint(130, 160))
            draw.ellipse([x - size * 0.55, y - size * 1.1, x + size * 0.55, y + size * 0.1], fill=skin)
            draw.pieslice([x - size * 0.6, y - size * 1.2, x + size * 0.6, y], 180, 360, fill=(28, 24, 22))
            x += int(size * rng.uniform(2.2, 4.2))
    image = image.filter(ImageFilter.GaussianBlur(2.6))
    noise = Image.effect_noise((width, height), 18).convert("RGB")
    image = Image.blend(image, noise, 0.06)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    out.seek(0)
    out.name = "cover.jpg"
    return out


@extensions.demo_loader(order=20)
def load_pages(stdout):
    created = 0
    for order, slug in enumerate(PAGE_ORDER):
        title, paragraphs = PAGES[slug]
        _page, was_created = Page.objects.get_or_create(
            slug=slug, defaults={"title": title, "body": _html(*paragraphs), "order": order}
        )
        created += was_created
    stdout.write(f"  栏目页面：{len(PAGE_ORDER)} 个（新建 {created} 个）")


@extensions.demo_loader(order=30)
def load_news(stdout):
    articles = [*ARTICLES, *recent_articles()]
    existing = set(Article.objects.filter(title__in=[a[2] for a in articles]).values_list("title", flat=True))
    created = 0
    for index, (day, category, title, source, author, headline, paragraphs) in enumerate(articles):
        if title in existing:
            continue
        article = news_services.create_article(
            title=title, category=category, body=_html(*paragraphs), source=source, author=author,
            published_at=_local(day), cover=cover_image(headline, index) if headline else None, publish=True,
        )
        if title in PINNED:
            news_services.set_pinned(article_id=article.pk, pinned=True)
        created += 1
    stdout.write(f"  新闻动态：{len(articles)} 篇（新建 {created} 篇）")


# -- synthetic news for benchmarks -------------------------------------------------------

SIZES = {"small": 2_000, "medium": 20_000, "large": 100_000}
SYNTHETIC_SOURCE = "合成数据"
COUNTIES = ["华龙区", "濮阳县", "清丰县", "南乐县", "范县", "台前县", "开发区", "工业园区", "示范区"]
ACTIONS = ["开展", "举办", "召开", "组织", "启动", "部署"]
TOPICS = [
    "全国科普日主题活动", "科技活动周系列活动", "乡村振兴科技培训", "学术年会", "科普大篷车进校园活动",
    "健康义诊志愿服务", "青少年科技创新大赛", "农村电商技能培训", "企业技术需求对接会", "科技工作者座谈会",
    "科普e站管理员培训", "学会党建工作会议", "食品安全宣传周活动", "科技三下乡活动", "创新驱动助力工程推进会",
    "“科创中国”试点工作调度会", "反邪教科普宣传", "科学素质网络知识竞赛", "生物基材料产业技术交流", "石化产业技术研讨",
]
_SENTENCE = re.compile(r"[^。！？]*[。！？]")


def _sentences() -> list[str]:
    pool = []
    for *_rest, paragraphs in ARTICLES:
        for paragraph in paragraphs:
            if not paragraph.startswith("## "):
                pool.extend(s for s in _SENTENCE.findall(paragraph) if len(s) > 12)
    return pool


def synthetic_row(i: int, pool: list[str], start: datetime, span_seconds: int, now: datetime) -> tuple:
    """Article ``i`` as a row for COPY, in the order of ``COPY_COLUMNS``."""
    rng = random.Random(f"news:{i}")
    category = rng.choices(Article.Category.values, weights=[30, 15, 20, 12, 15, 8])[0]
    title = f"{rng.choice(COUNTIES)}{rng.choice(['科协', '', '科普中心', '学会'])}{rng.choice(ACTIONS)}{rng.choice(TOPICS)}"
    paragraphs = ["".join(rng.sample(pool, rng.randint(2, 4))) for _ in range(rng.randint(2, 4))]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    summary = excerpt(body, 120)
    published = rng.random() > 0.03
    return (
        title, category, summary, body, "", "", "", "", SYNTHETIC_SOURCE, "",
        Article.Status.PUBLISHED.value if published else Article.Status.DRAFT.value,
        (start + timedelta(seconds=rng.randrange(span_seconds))).isoformat() if published else None,
        False, document_vector(title, summary, "\n".join(paragraphs), category=category), None, now.isoformat(), now.isoformat(),
    )


COPY_COLUMNS = [
    "title", "category", "summary", "body", "cover", "cover_card", "cover_thumb", "cover_caption", "source", "author",
    "status", "published_at", "pinned", "search_vector", "created_by_id", "created", "updated",
]
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value)
    return text.translate(_COPY_ESCAPES) if _NEEDS_ESCAPE.search(text) else text


def _copy_text(indices, pool, start, span, now) -> str:
    """Articles ``indices`` in PostgreSQL's COPY text format (run in a worker process)."""
    return "".join(
        "\t".join(map(_copy_value, synthetic_row(i, pool, start, span, now))) + "\n" for i in indices
    )


@extensions.data_generator(order=30)
def generate_news(scale, stdout):
    """Synthetic articles by COPY, the bigram index rebuilt once at the end when many are
    added (maintaining it row by row costs more than the rows themselves)."""
    load_pages(stdout)
    load_news(stdout)
    wanted = SIZES[scale]
    existing = Article.objects.filter(source=SYNTHETIC_SOURCE).count()
    if existing >= wanted:
        stdout.write(f"  新闻动态：合成新闻 {existing} 篇（已有）")
        return
    pool = _sentences()
    start = timezone.make_aware(datetime(2015, 1, 1))
    span = int((timezone.make_aware(datetime(2026, 11, 1)) - start).total_seconds())
    now = timezone.now()
    search_index = next(i for i in Article._meta.indexes if i.name == "article_search_idx")
    rebuild = wanted - existing > 10_000
    chunks = [range(n, min(n + 5000, wanted)) for n in range(existing, wanted, 5000)]
    with transaction.atomic(), connection.schema_editor(atomic=False) as editor, connection.cursor() as cursor:
        if rebuild:
            editor.remove_index(Article, search_index)
        # Building a row (bigrams of ~600 characters) is pure Python: both cores help.
        with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork")) as workers:
            jobs = [workers.submit(_copy_text, chunk, pool, start, span, now) for chunk in chunks]
            for job in jobs:
                cursor.copy_expert(
                    f"COPY association_article ({', '.join(COPY_COLUMNS)}) FROM STDIN", io.StringIO(job.result())
                )
        if rebuild:
            # the copied rows' deferred foreign-key checks must run before CREATE INDEX
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE; SET LOCAL maintenance_work_mem = '256MB'")
            editor.add_index(Article, search_index)
    stdout.write(f"  新闻动态：合成新闻 {wanted} 篇")
