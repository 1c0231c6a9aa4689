"""Facts of the model event (see shared/model-event.md): districts, tracks, the city's offer."""

from __future__ import annotations

EVENT = {
    "slug": "xuzhou-cloud-roadshow",
    "title_zh": "徐州市高层次人才“云创荟”",
    "title_en": "Xuzhou High-level Talent “Cloud Roadshow”",
    "organizer_name_zh": "徐州市人才工作领导小组办公室 · 中国矿业大学",
    "organizer_name_en": "Xuzhou Municipal Talent Office · China University of Mining and Technology",
    "venue_zh": "金龙湖书院（徐州经济技术开发区），网络连线路演",
    "venue_en": "Jinlong Lake Academy (Xuzhou Economic and Technological Development Zone), pitches online",
    "description_zh": (
        "面向全球征集高层次人才创新创业项目。经县区对接和专家初评，入围项目在两天的网络连线路演中"
        "向 12 个板块现场推介，板块负责人站台推介本地政策，达成合作意向的项目线上签约。"
        "城市为领军人才创业提供最高 2000 万元项目资助，设立 10 亿元“彭城英才”投资基金。"
    ),
    "description_en": (
        "A worldwide call for innovation and start-up projects by high-level talents. After district "
        "docking and an expert preliminary review, the finalists pitch live online over two days to "
        "12 districts, whose leaders present their own offers; projects that reach an intent of "
        "cooperation sign online. The city offers up to 20 million yuan of project funding for "
        "leading talents who start a business and a 1-billion-yuan Pengcheng Talent investment fund."
    ),
}

CITY_OFFER_ZH = (
    "领军人才创业项目最高 2000 万元资助；10 亿元“彭城英才”投资基金；人才贷、人才股权产品；"
    "人力资源产业园；54 家科技园区和孵化器；一站式线上服务窗口和人才“蓝卡”。"
)
CITY_OFFER_EN = (
    "Up to 20 million yuan of funding for leading talents who start a business; a 1-billion-yuan "
    "Pengcheng Talent investment fund; talent loans and talent equity products; a human-resources "
    "industrial park; 54 science parks and incubators; a one-stop online service window and a "
    "talent blue card."
)

# code, name_zh, name_en, kind, industries_zh, industries_en, offer_zh, offer_en
DISTRICTS = [
    ("gulou", "鼓楼区", "Gulou District", "district", "现代服务业、数字经济", "modern services, digital economy", "", ""),
    ("yunlong", "云龙区", "Yunlong District", "district", "软件和信息服务、文化创意", "software and IT services, creative industries", "", ""),
    ("jiawang", "贾汪区", "Jiawang District", "district", "新材料、绿色能源", "new materials, green energy", "", ""),
    ("quanshan", "泉山区", "Quanshan District", "district", "生物医药、大健康", "biomedicine, health", "", ""),
    ("tongshan", "铜山区", "Tongshan District", "district", "高端装备、智能制造", "high-end equipment, intelligent manufacturing", "", ""),
    ("fengxian", "丰县", "Feng County", "county", "电动车、新能源", "electric vehicles, new energy", "", ""),
    ("peixian", "沛县", "Pei County", "county", "新材料、高端装备", "new materials, high-end equipment",
     "设立 1 亿元人才基金；顶尖人才团队最高 5000 万元支持，重点人才一事一议。",
     "A 100-million-yuan talent fund; up to 50 million yuan for a top talent team, with case-by-case support for key talents."),
    ("suining", "睢宁县", "Suining County", "county", "高端纺织、新材料", "advanced textiles, new materials", "", ""),
    ("pizhou", "邳州市", "Pizhou", "county", "半导体材料、节能环保", "semiconductor materials, energy saving", "", ""),
    ("xinyi", "新沂市", "Xinyi", "county", "新型化工、生物医药", "new chemicals, biomedicine", "", ""),
    ("xzedz", "徐州经济技术开发区", "Xuzhou Economic and Technological Development Zone", "zone",
     "集成电路、信息通信、工程机械", "integrated circuits, ICT, construction machinery", "", ""),
    ("cumt", "中国矿业大学", "China University of Mining and Technology", "university",
     "能源、安全、智能采矿", "energy, safety, intelligent mining", "", ""),
]

# code, name_zh, name_en
TRACKS = [
    ("equipment", "高端装备与智能制造", "High-end equipment and intelligent manufacturing"),
    ("ict", "集成电路与信息通信", "Integrated circuits and ICT"),
    ("bio", "生物医药与大健康", "Biomedicine and health"),
    ("energy", "新能源与新材料", "New energy and new materials"),
]

# country code -> (share weight, zones, nationality options)
COUNTRIES = {
    "US": (46, ["America/New_York", "America/Los_Angeles", "America/Chicago", "America/Denver"]),
    "CA": (22, ["America/Toronto", "America/Vancouver", "America/Edmonton"]),
    "AU": (20, ["Australia/Sydney", "Australia/Melbourne", "Australia/Perth"]),
    "NL": (14, ["Europe/Amsterdam"]),
    "DE": (16, ["Europe/Berlin"]),
    "GB": (18, ["Europe/London"]),
    "JP": (12, ["Asia/Tokyo"]),
    "SG": (10, ["Asia/Singapore"]),
    "FR": (8, ["Europe/Paris"]),
    "SE": (6, ["Europe/Stockholm"]),
    "KR": (6, ["Asia/Seoul"]),
    "NZ": (4, ["Pacific/Auckland"]),
}

FAMILY_NAMES = [("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈"),
                ("Yang", "杨"), ("Zhao", "赵"), ("Huang", "黄"), ("Zhou", "周"), ("Wu", "吴"),
                ("Xu", "徐"), ("Sun", "孙"), ("Hu", "胡"), ("Zhu", "朱"), ("Gao", "高"),
                ("Lin", "林"), ("He", "何"), ("Guo", "郭"), ("Ma", "马"), ("Luo", "罗")]
GIVEN_NAMES = [("Wei", "伟"), ("Fang", "芳"), ("Min", "敏"), ("Jing", "静"), ("Lei", "磊"),
               ("Yan", "燕"), ("Jun", "军"), ("Yong", "勇"), ("Tao", "涛"), ("Ming", "明"),
               ("Chao", "超"), ("Xiu", "秀"), ("Hui", "慧"), ("Peng", "鹏"), ("Hao", "浩"),
               ("Yu", "宇"), ("Xin", "欣"), ("Rui", "睿"), ("Kai", "凯"), ("Ling", "玲")]
WESTERN_GIVEN = ["Daniel", "Emma", "Lucas", "Sophie", "Noah", "Olivia", "Liam", "Mia", "James",
                 "Hannah", "Thomas", "Eva", "Benjamin", "Chloe", "Samuel", "Laura"]
WESTERN_FAMILY = ["Miller", "Brown", "de Vries", "Jansen", "Schmidt", "Martin", "Wilson",
                  "Taylor", "Anderson", "Clarke", "Müller", "Bakker", "Nguyen", "Kim", "Tanaka"]

INSTITUTIONS = {
    "US": ["Stanford University", "University of Michigan", "Georgia Institute of Technology",
           "Purdue University", "Texas Instruments", "Intel Labs"],
    "CA": ["University of Toronto", "University of Waterloo", "McGill University", "UBC"],
    "AU": ["University of New South Wales", "Monash University", "University of Sydney", "CSIRO"],
    "NL": ["Delft University of Technology", "Eindhoven University of Technology", "ASML"],
    "DE": ["RWTH Aachen", "TU Munich", "Fraunhofer ILT"],
    "GB": ["Imperial College London", "University of Manchester", "University of Cambridge"],
    "JP": ["University of Tokyo", "Tohoku University", "Kyoto University"],
    "SG": ["National University of Singapore", "Nanyang Technological University"],
    "FR": ["Université Paris-Saclay", "CNRS Grenoble"],
    "SE": ["KTH Royal Institute of Technology", "Chalmers University of Technology"],
    "KR": ["KAIST", "Seoul National University"],
    "NZ": ["University of Auckland"],
}
DEGREES = ["phd", "phd", "phd", "master", "md"]

# The offices, their events and the alliance of the demo (docs/design/many-events.md §5)
XUZHOU = {
    "slug": "xuzhou", "kind": "city_office", "name_zh": "徐州市人才办",
    "name_en": "Xuzhou Municipal Talent Office", "timezone": "Asia/Shanghai",
}
XIAO_COUNTY = {
    "slug": "xiao-county", "kind": "county_office", "name_zh": "萧县人才办",
    "name_en": "Xiao County Talent Office", "timezone": "Asia/Shanghai",
}
ALLIANCE = {"slug": "huaihai", "name_zh": "淮海人才联盟", "name_en": "Huaihai Talent Alliance"}

XIAO_OFFER_ZH = "高层次人才创业项目最高 500 万元资助；县经济开发区标准厂房三年免租；人才公寓拎包入住。"
XIAO_OFFER_EN = ("Up to 5 million yuan for a high-level talent's start-up; three rent-free years in a "
                 "standard factory of the county's development zone; furnished talent apartments.")
# code, name_zh, name_en, kind, industries_zh, industries_en
XIAO_DISTRICTS = [
    ("xiao-edz", "萧县经济开发区", "Xiao County Economic Development Zone", "zone",
     "新型建材、绿色家居、装备制造", "new building materials, green home furnishing, equipment"),
    ("longcheng", "龙城镇", "Longcheng Town", "district", "商贸物流、文化旅游",
     "trade and logistics, cultural tourism"),
    ("huangkou", "黄口镇", "Huangkou Town", "district", "农产品精深加工、现代农业",
     "food processing, modern agriculture"),
]

LAST_YEAR = {
    "slug": "xuzhou-cloud-roadshow-2025",
    "title_zh": "徐州市高层次人才“云创荟”（{year}）",
    "title_en": "Xuzhou High-level Talent “Cloud Roadshow” {year}",
}
NEXT_YEAR = {
    "slug": "xuzhou-cloud-roadshow-2027",
    "title_zh": "徐州市高层次人才“云创荟”（{year}）",
    "title_en": "Xuzhou High-level Talent “Cloud Roadshow” {year}",
}
SYMPOSIUM = {
    "slug": "xuzhou-shanghai-symposium-2026",
    "title_zh": "徐州籍人才上海座谈会",
    "title_en": "Symposium of Xuzhou Talents in Shanghai",
    "organizer_name_zh": "徐州市人才办驻上海人才工作站",
    "organizer_name_en": "Shanghai liaison station of the Xuzhou Municipal Talent Office",
    "venue_zh": "上海市徐汇区漕溪北路 18 号，上海实业大厦 12 楼会议室",
    "venue_en": "Shanghai Industrial Investment Building, 12th floor, 18 Caoxi North Road, Xuhui, Shanghai",
    "description_zh": ("邀请在沪工作的徐州籍专家、学者和企业家座谈，介绍家乡人才政策和产业机会，"
                       "听取对家乡发展的意见建议。报名后请留意会议通知。"),
    "description_en": ("Experts, scholars and entrepreneurs from Xuzhou who work in Shanghai meet the "
                       "talent office: the home city's talent policies and industrial opportunities, "
                       "and their advice on its development. Register and watch for the invitation."),
}
XIAO_ROADSHOW = {
    "slug": "xiao-county-roadshow",
    "title_zh": "萧县高层次人才创新创业项目路演",
    "title_en": "Xiao County High-level Talent Project Roadshow",
    "organizer_name_zh": "萧县人才工作领导小组办公室",
    "organizer_name_en": "Xiao County Talent Office",
    "venue_zh": "萧县经济开发区人才服务中心，网络连线路演",
    "venue_en": "Talent service centre of the Xiao County Economic Development Zone, pitches online",
    "description_zh": "面向海内外征集创新创业项目，专家评审后入围项目在线路演，与县内园区和乡镇对接落地。",
    "description_en": ("A call for innovation and start-up projects from home and abroad; after the "
                       "experts' review the finalists pitch online to the county's zone and towns."),
}
JOINT_EVENT = {
    "slug": "huaihai-joint-roadshow",
    "title_zh": "淮海人才联盟联合路演",
    "title_en": "Huaihai Talent Alliance Joint Roadshow",
    "organizer_name_zh": "淮海人才联盟（徐州市人才办、萧县人才办）",
    "organizer_name_en": "Huaihai Talent Alliance (Xuzhou Municipal and Xiao County Talent Offices)",
    "venue_zh": "网络连线路演",
    "venue_en": "Pitches online",
    "description_zh": "徐州、萧县两地联合征集项目，入围项目同时向两地的板块和园区推介，跨省共享人才政策。",
    "description_en": ("Xuzhou and Xiao County call for projects together: finalists pitch to the "
                       "districts and zones of both, across the provincial border."),
}
