"""The fixed wording of experience-summary drafts: per area a heading, a lead, subsections and charts.

Written in the voice of the seed material (安康市创建全省行政决策示范市经验材料): headings of the form
"以……促……", a figure-free lead under each heading, and subsections "（一）标题。" that open with a
qualitative sentence before the figures. The qualitative sentences are common phrasing that staff are
expected to adjust; every figure comes from the database through rolgov/report.py.

An indicator of an area that no subsection names is appended to the area's last subsection, so an
indicator added to metrics.yml still reaches the drafts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Subsection:
    title: str  # （一）公众参与制度化。 without the number
    opener: str  # figure-free first sentence
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class AreaText:
    heading: str  # 一、 without the number
    lead: str
    focus: str  # phrase for the opening paragraph: 着力从{focus}、{focus}入手
    subsections: tuple[Subsection, ...]
    charts: tuple[str, str]  # (trend indicator, county-comparison indicator)


AREAS: dict[str, AreaText] = {
    "A1": AreaText(
        "以“放管服”改革为抓手推动政府职能依法全面履行",
        "依法全面履行政府职能是法治政府建设的基础。我们以权责清单公布运行为重要抓手，全面贯彻“放管服”改革要求，"
        "推动政府放权、社会松绑、企业减负，促进了政府行为规范。",
        "深化“放管服”改革",
        (
            Subsection(
                "精简审批事项，推动简政放权",
                "全面梳理行政审批事项，能取消的坚决取消，能下放的一律下放。",
                ("approval_items_before", "approval_items_streamlined", "approval_streamlining_rate"),
            ),
            Subsection(
                "清理中介服务和证明事项，为群众企业减负",
                "按照“六个一律”的要求，对行政审批中介服务、证明事项和盖章环节进行全面清理压缩。",
                (
                    "intermediary_services_before",
                    "intermediary_services_retained",
                    "intermediary_cleanup_rate",
                    "certification_items_reviewed",
                    "certification_items_cancelled",
                ),
            ),
        ),
        ("approval_items_streamlined", "approval_streamlining_rate"),
    ),
    "A2": AreaText(
        "以规范性文件全过程管理筑牢依法行政制度根基",
        "制度建设是依法行政的前提。我们把合法性审核和备案审查作为规范性文件管理的关键环节，从源头上防止违法文件出台。",
        "健全依法行政制度体系",
        (
            Subsection(
                "严格规范性文件合法性审核",
                "建立行政规范性文件合法性审核机制，明确未经合法性审核或者经审核不合法的，不得提交集体审议。",
                ("normative_docs_issued", "normative_docs_reviewed", "normative_doc_review_rate"),
            ),
            Subsection(
                "落实规范性文件备案审查",
                "坚持“有件必备、有备必审、有错必纠”，按照规定程序和时限报送备案。",
                ("normative_docs_filed_on_time", "normative_doc_filing_rate"),
            ),
        ),
        ("normative_doc_review_rate", "normative_doc_filing_rate"),
    ),
    "A3": AreaText(
        "以民主决策程序的严格执行力促行政决策科学化",
        "行政决策科学、民主、合法是提升政府工作水平的重要保证。我们通过强化合法性审查、发挥法律顾问作用、"
        "扩大公众参与等措施，确保决策合法合规、科学民主。",
        "完善行政决策机制",
        (
            Subsection(
                "严格行政决策法律审查",
                "明确要求重大行政决策必须先通过合法性审查、论证才可上会讨论，未经审查或者经审查不合法的，不得提交讨论。",
                ("major_decisions_listed", "major_decisions_legality_reviewed", "decision_legality_review_rate"),
            ),
            Subsection(
                "全面推行法律顾问制度",
                "规范法律顾问聘任、考核、管理、备案等制度，推进“一村（社区）一法律顾问”深入开展，充分发挥法律顾问参谋助手作用。",
                (
                    "gov_legal_advisors",
                    "villages_total",
                    "villages_with_legal_adviser",
                    "village_legal_advisor_coverage",
                ),
            ),
            Subsection(
                "公众参与制度化",
                "各级政府、部门普遍建立了重大行政决策听取意见和听证制度，在制定涉及群众切身利益的公共政策时，"
                "普遍采取座谈会、论证会、听证会和网上征求意见等方式，公开听取公众意见。",
                ("hearings_held", "public_comments_received", "public_comments_adopted", "comment_adoption_rate"),
            ),
        ),
        ("hearings_held", "village_legal_advisor_coverage"),
    ),
    "A4": AreaText(
        "以“三项制度”为抓手推进严格规范公正文明执法",
        "行政执法是政府履行职能的主要方式。我们从执法主体、执法程序、执法监督等环节入手，全面规范行政执法行为。",
        "规范行政执法行为",
        (
            Subsection(
                "严格执法人员资格管理",
                "坚持持证上岗、亮证执法，对行政执法人员实行资格管理和动态调整。",
                ("enforcement_officers_total", "enforcement_officers_certified", "enforcement_certification_rate"),
            ),
            Subsection(
                "落实重大执法决定法制审核",
                "全面推行行政执法公示、执法全过程记录、重大执法决定法制审核制度，重大执法决定未经法制审核或者审核未通过的，不得作出决定。",
                (
                    "licensing_decisions",
                    "penalty_decisions",
                    "coercion_decisions",
                    "major_enforcement_decisions",
                    "major_enforcement_reviewed",
                    "major_enforcement_review_rate",
                ),
            ),
            Subsection(
                "开展行政执法案卷评查",
                "定期组织行政执法案卷评查，以评促改、以查促规范。",
                ("case_files_reviewed", "case_files_passed", "case_file_pass_rate"),
            ),
        ),
        ("major_enforcement_review_rate", "enforcement_certification_rate"),
    ),
    "A5": AreaText(
        "以预案管理和应急演练提升突发事件依法应对能力",
        "依法应对突发事件是检验法治政府建设成效的重要方面。我们坚持预防与应急相结合，健全应急预案体系，常态化开展应急演练。",
        "提升突发事件应对能力",
        (
            Subsection(
                "常态化开展应急演练",
                "各级政府和应急管理部门定期组织综合性和专项应急演练，检验预案、锻炼队伍、磨合机制。",
                ("emergency_drills",),
            ),
        ),
        ("emergency_drills", "emergency_drills"),
    ),
    "A6": AreaText(
        "以多元化解机制建设推动社会矛盾纠纷依法有效化解",
        "依法有效化解社会矛盾纠纷是维护社会和谐稳定的重要保障。我们充分发挥行政复议、行政应诉和人民调解的作用，"
        "把矛盾纠纷化解在基层、化解在萌芽状态。",
        "依法化解社会矛盾纠纷",
        (
            Subsection(
                "发挥行政复议化解行政争议主渠道作用",
                "畅通行政复议渠道，依法受理、审理行政复议案件，对违法或不当行政行为坚决予以纠正。",
                (
                    "reconsideration_received",
                    "reconsideration_concluded",
                    "reconsideration_corrected",
                    "reconsideration_correction_rate",
                ),
            ),
            Subsection(
                "规范行政应诉工作",
                "落实行政机关负责人出庭应诉制度，支持人民法院依法受理和审理行政案件。",
                (
                    "litigation_concluded",
                    "litigation_lost",
                    "litigation_loss_rate",
                    "court_cases_heard",
                    "court_cases_head_appeared",
                    "head_appearance_rate",
                ),
            ),
            Subsection(
                "做实人民调解",
                "健全人民调解组织网络，推动矛盾纠纷就地化解。",
                ("mediation_cases", "mediation_resolved", "mediation_success_rate"),
            ),
        ),
        ("head_appearance_rate", "mediation_success_rate"),
    ),
    "A7": AreaText(
        "以权力监督和政务公开保障行政权力规范透明运行",
        "按照“公开是原则、不公开是例外”的要求，我们以深化政务公开助力法治政府建设，同时严格问责问效，推动权力在阳光下运行。",
        "强化权力监督和政务公开",
        (
            Subsection(
                "政务公开多元化",
                "拓宽公开渠道，通过政府网站、政务新媒体、新闻发布会、政务信息查阅点等多种方式公开政府信息。",
                (
                    "gov_info_published",
                    "wechat_posts",
                    "weibo_posts",
                    "disclosure_requests_new",
                    "press_conferences",
                    "info_access_points",
                ),
            ),
            Subsection(
                "依申请公开规范化",
                "规范依申请公开办理流程，依法按时答复，保障人民群众知情权。",
                (
                    "disclosure_requests_concluded",
                    "disclosure_requests_granted",
                    "disclosure_substantive_rate",
                    "disclosure_disputes",
                    "disclosure_disputes_corrected",
                    "disclosure_dispute_correction_rate",
                ),
            ),
            Subsection(
                "常务会议旁听常态化",
                "全面落实常务会议旁听制度，优化旁听人员结构，积极为政府决策建言献策，切实增强政府工作透明度。",
                ("meeting_observers",),
            ),
            Subsection(
                "严格问责，落实责任追究制度",
                "实行公开承诺、跟踪督办落实、严格问责问效，有力保障政府决策部署的贯彻落实。",
                ("public_commitment_tasks", "accountability_reminders", "accountability_admonitions"),
            ),
        ),
        ("gov_info_published", "disclosure_substantive_rate"),
    ),
    "A8": AreaText(
        "以“互联网＋政务服务”推动法治政府建设数字化",
        "我们坚持以数字化改革助力法治政府建设，推进政务服务事项网上办理，让数据多跑路、群众少跑腿。",
        "推进数字法治政府建设",
        (
            Subsection(
                "推进政务服务网上办理",
                "全面梳理政务服务事项，依托一体化政务服务平台推动事项网上可办。",
                ("services_total", "services_online", "online_service_rate"),
            ),
        ),
        ("online_service_rate", "online_service_rate"),
    ),
    "A9": AreaText(
        "以关键少数法治习惯养成强化法治政府建设组织领导",
        "领导干部是法治政府建设的“关键少数”。我们通过树牢法治思维、养成法治习惯、压实工作责任等方式，推动法治政府建设各项任务落地见效。",
        "压实法治政府建设组织领导责任",
        (
            Subsection(
                "领导干部带头学法用法",
                "坚持法治教育培育法治思维，把领导干部学法、知法、用法作为提高依法决策能力的关键一招，建立领导干部集体学法制度，定期组织学习。",
                ("exec_meeting_law_studies", "plenary_law_studies"),
            ),
            Subsection(
                "群众获得感持续增强",
                "主动接受群众评议，以群众满意度检验法治政府建设成效。",
                ("public_satisfaction", "rule_of_law_report_published"),
            ),
        ),
        ("public_satisfaction", "public_satisfaction"),
    ),
}

# Levels at the end of a year (or counted since a reform began): a "since" draft states the latest
# value (截至2018年底), never a sum over years.
STOCKS = frozenset(
    {
        "approval_items_before",
        "approval_items_streamlined",
        "intermediary_services_before",
        "intermediary_services_retained",
        "certification_items_reviewed",
        "certification_items_cancelled",
        "gov_legal_advisors",
        "villages_total",
        "villages_with_legal_adviser",
        "enforcement_officers_total",
        "enforcement_officers_certified",
        "info_access_points",
        "services_total",
        "services_online",
    }
)

# In a city draft these figures are the city government's own (市本级), as the seed writes
# 精简市级行政审批事项216项 and 市政府召开全体会议集体学法6次; the 全市 total is not stated.
OWN_LEVEL_ONLY = frozenset(
    {
        "approval_items_before",
        "approval_items_streamlined",
        "approval_streamlining_rate",
        "intermediary_services_before",
        "intermediary_services_retained",
        "intermediary_cleanup_rate",
        "certification_items_reviewed",
        "certification_items_cancelled",
        "public_commitment_tasks",
        "exec_meeting_law_studies",
        "plenary_law_studies",
    }
)
# Both, in two separate sentences: 市政府聘请7名法律顾问，全市各级行政机关共聘请法律顾问349名.
BOTH_LEVELS = frozenset({"gov_legal_advisors"})

# How a city draft names the own level ({c} is 市 or 省); the default is 市级.
OWN_LEVEL_SCOPE = {
    "exec_meeting_law_studies": "{c}",
    "plenary_law_studies": "{c}",  # 市 + 政府常务会议集体学法
    "gov_legal_advisors": "{c}政府",
    "public_commitment_tasks": "{c}级各部门",
}
DEFAULT_OWN_LEVEL_SCOPE = "{c}级"
# How a city draft names the whole-city total; the default is 全市各级行政机关, and 全市 for what is
# not a matter of 行政机关 (villages, mediation by 人民调解组织, a survey of the public).
DEFAULT_TOTAL_SCOPE = "全{c}各级行政机关"
TOTAL_SCOPE_NOT_OWN = "全{c}"  # for indicators the own level does not report (own_level: false)
TOTAL_SCOPE = {
    "mediation_cases": "全{c}",
    "mediation_resolved": "全{c}",
    "mediation_success_rate": "全{c}",
    "public_satisfaction": "全{c}",
    "head_appearance_rate": "全{c}",  # template starts 行政机关负责人
    "meeting_observers": "全{c}各级政府",
}


def outline(area_id: str, indicator_ids_in_area: list[str]) -> list[Subsection]:
    """The area's subsections, with any catalog indicator the wording does not name added to the last one."""
    text = AREAS.get(area_id)
    if text is None:
        return [Subsection("主要工作成效", "", tuple(indicator_ids_in_area))] if indicator_ids_in_area else []
    named = {i for s in text.subsections for i in s.indicators}
    extra = tuple(i for i in indicator_ids_in_area if i not in named)
    subs = list(text.subsections)
    if extra:
        last = subs[-1]
        subs[-1] = Subsection(last.title, last.opener, last.indicators + extra)
    return subs


def title(scope_name: str, is_city: bool) -> str:
    """安康市创建法治政府建设示范市经验材料; a county uses its own kind (示范县 / 示范区 / 示范市)."""
    kind = "市" if is_city else (scope_name[-1] if scope_name[-1] in "县区市" else "县")
    return f"{scope_name}创建法治政府建设示范{kind}经验材料"


def self_name(scope_name: str, is_city: bool) -> str:
    """我市 / 我县 / 我区."""
    if is_city:
        return "我市" if scope_name.endswith("市") else "我省"
    return "我" + (scope_name[-1] if scope_name[-1] in "县区市" else "县")
