"""The fixed wording of drafts: per area a heading, a lead, subsections and charts; per rate how it is said.

Written in the voice of the seed material (安康市创建全省行政决策示范市经验材料): headings of the form
"以……促……", a figure-free lead under each heading, and subsections "（一）标题。" that open with a
qualitative sentence before the figures. Openers claim nothing a figure could contradict; a subsection's
`mandate` (未经审查……不得提交讨论) is stated only when the draft's figure meets it (build.py), so a
shortfall is never preceded by the rule it breaks. Every figure comes from the database.

RATIOS says how a rate is written together with its whole and its part (制发行政规范性文件155件，其中
144件经过合法性审核，合法性审核率为92.9%，尚有11件未经过合法性审核). An indicator no RATIOS entry names
is written with its metrics.yml template, and one no subsection names joins the area's last subsection,
so an indicator added to metrics.yml still reaches the drafts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Subsection:
    title: str  # （一）公众参与制度化。 without the number
    opener: str  # figure-free first sentence, true whatever the figures say
    indicators: tuple[str, ...]
    mandate: str = ""  # the rule, stated only when the draft's `mandate_for` figure meets its target
    mandate_for: str = ""


@dataclass(frozen=True)
class AreaText:
    heading: str  # 一、 without the number
    lead: str
    focus: str  # phrase for the opening paragraph: 着力从{focus}、{focus}入手
    subsections: tuple[Subsection, ...]
    charts: tuple[str, str]  # (trend indicator, county-comparison indicator)


@dataclass(frozen=True)
class Ratio:
    """A rate said with its whole and its part. Slots: {whole} {part} figure texts; `done` completes
    均已…/尚有…未…; `noun` names the rate after the whole was said (审核率). `patterns` replace the
    generic ones where the rate is not part / whole (the clean-up rate of intermediary services)."""

    rate: str | None
    whole: str
    part: str
    whole_text: str  # 制发行政规范性文件{whole}
    part_text: str  # after 其中: {part}经过合法性审核
    part_verb: str  # 经合法性审核{part}
    done: str  # 经过合法性审核
    noun: str  # 合法性审核率
    patterns: tuple[str, ...] = ()


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
                "建立行政规范性文件合法性审核机制，推动合法性审核工作规范化、常态化。",
                ("normative_docs_issued", "normative_docs_reviewed", "normative_doc_review_rate"),
                "明确未经合法性审核或者经审核不合法的，不得提交集体审议。",
                "normative_doc_review_rate",
            ),
            Subsection(
                "落实规范性文件备案审查",
                "按照规定程序和时限报送备案，推进备案审查工作规范化。",
                ("normative_docs_filed_on_time", "normative_doc_filing_rate"),
                "坚持“有件必备、有备必审、有错必纠”。",
                "normative_doc_filing_rate",
            ),
        ),
        ("normative_doc_review_rate", "normative_doc_filing_rate"),
    ),
    "A3": AreaText(
        "以民主决策程序的严格执行力促行政决策科学化",
        "行政决策科学、民主、合法是提升政府工作水平的重要保证。我们通过强化合法性审查、发挥法律顾问作用、"
        "扩大公众参与等措施，推动决策合法合规、科学民主。",
        "完善行政决策机制",
        (
            Subsection(
                "严格行政决策法律审查",
                "建立法制机构负责人列席政府常务会议制度，健全重大行政决策合法性审查机制。",
                ("major_decisions_listed", "major_decisions_legality_reviewed", "decision_legality_review_rate"),
                "明确要求重大行政决策必须先通过合法性审查、论证才可上会讨论，未经审查或者经审查不合法的，不得提交讨论。",
                "decision_legality_review_rate",
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
                "严格行政执法人员资格管理，推行持证上岗、亮证执法，对执法人员实行动态调整。",
                ("enforcement_officers_total", "enforcement_officers_certified", "enforcement_certification_rate"),
            ),
            Subsection(
                "落实重大执法决定法制审核",
                "全面推行行政执法公示、执法全过程记录、重大执法决定法制审核制度。",
                (
                    "licensing_decisions",
                    "penalty_decisions",
                    "coercion_decisions",
                    "major_enforcement_decisions",
                    "major_enforcement_reviewed",
                    "major_enforcement_review_rate",
                ),
                "重大执法决定未经法制审核或者审核未通过的，不得作出决定。",
                "major_enforcement_review_rate",
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
                "推动行政机关负责人出庭应诉，支持人民法院依法受理和审理行政案件。",
                (
                    "litigation_concluded",
                    "litigation_lost",
                    "litigation_loss_rate",
                    "court_cases_heard",
                    "court_cases_head_appeared",
                    "head_appearance_rate",
                ),
                "严格执行被诉行政机关负责人出庭应诉制度。",
                "head_appearance_rate",
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


RATIOS: tuple[Ratio, ...] = (
    Ratio(
        "approval_streamlining_rate",
        "approval_items_before",
        "approval_items_streamlined",
        "改革前共有行政审批事项{whole}",
        "{part}已精简",
        "已精简{part}",
        "精简",
        "精简率",
        (
            "精简行政审批事项{part}{part_change}，精简率{verb}{rate}",
            "改革前共有行政审批事项{whole}，已精简{part}{part_change}，精简率{verb}{rate}",
            "改革以来精简行政审批事项{part}{part_change}，精简率{verb}{rate}",
        ),
    ),
    Ratio(
        "intermediary_cleanup_rate",
        "intermediary_services_before",
        "intermediary_services_retained",
        "清理前共有行政审批中介服务事项{whole}",
        "",
        "",
        "",
        "清理幅度",
        (
            "将{s}{whole}中介服务事项精简压缩到{part}，清理幅度{verb}{rate}",
            "{s}清理前共有行政审批中介服务事项{whole}，清理后保留{part}，清理幅度{verb}{rate}",
        ),
    ),
    Ratio(
        None,
        "certification_items_reviewed",
        "certification_items_cancelled",
        "梳理证明事项和盖章环节{whole}",
        "",
        "",
        "",
        "",
        ("共计梳理证明事项和盖章环节{whole}，其中取消{part}", "梳理证明事项和盖章环节{whole}，取消{part}"),
    ),
    Ratio(
        "normative_doc_review_rate",
        "normative_docs_issued",
        "normative_docs_reviewed",
        "制发行政规范性文件{whole}",
        "{part}经过合法性审核",
        "经合法性审核{part}",
        "经过合法性审核",
        "合法性审核率",
    ),
    Ratio(
        "normative_doc_filing_rate",
        "normative_docs_issued",
        "normative_docs_filed_on_time",
        "制发行政规范性文件{whole}",
        "{part}按时报送备案",
        "按时报送备案{part}",
        "按时报送备案",
        "报备及时率",
    ),
    Ratio(
        "decision_legality_review_rate",
        "major_decisions_listed",
        "major_decisions_legality_reviewed",
        "将{whole}重大行政决策事项纳入年度目录管理",
        "{part}经过合法性审查",
        "经合法性审查{part}",
        "经过合法性审查",
        "合法性审查率",
    ),
    Ratio(
        "comment_adoption_rate",
        "public_comments_received",
        "public_comments_adopted",
        "收集意见建议{whole}",
        "{part}被采纳",
        "吸纳合理意见{part}",
        "被采纳",
        "采纳率",
    ),
    Ratio(
        "village_legal_advisor_coverage",
        "villages_total",
        "villages_with_legal_adviser",
        "共有村（社区）{whole}",
        "{part}配备了法律顾问",
        "配备法律顾问的村（社区）{part}",
        "配备法律顾问",
        "覆盖率",
    ),
    Ratio(
        "enforcement_certification_rate",
        "enforcement_officers_total",
        "enforcement_officers_certified",
        "共有行政执法人员{whole}",
        "{part}持有执法证件",
        "持证{part}",
        "持证上岗",
        "持证率",
    ),
    Ratio(
        "major_enforcement_review_rate",
        "major_enforcement_decisions",
        "major_enforcement_reviewed",
        "作出重大行政执法决定{whole}",
        "{part}经过法制审核",
        "经法制审核{part}",
        "经过法制审核",
        "法制审核率",
    ),
    Ratio(
        "case_file_pass_rate",
        "case_files_reviewed",
        "case_files_passed",
        "评查行政执法案卷{whole}",
        "{part}评查合格",
        "评查合格{part}",
        "评查合格",
        "合格率",
    ),
    Ratio(
        "reconsideration_correction_rate",
        "reconsideration_concluded",
        "reconsideration_corrected",
        "审结行政复议案件{whole}",
        "直接纠错{part}",
        "直接纠正违法或不当行政行为{part}",
        "直接纠错",
        "直接纠错率",
    ),
    Ratio(
        "litigation_loss_rate",
        "litigation_concluded",
        "litigation_lost",
        "审结一审行政诉讼案件{whole}",
        "败诉{part}",
        "败诉{part}",
        "败诉",
        "败诉率",
    ),
    Ratio(
        "head_appearance_rate",
        "court_cases_heard",
        "court_cases_head_appeared",
        "行政诉讼案件开庭审理{whole}",
        "{part}由行政机关负责人出庭应诉",
        "行政机关负责人出庭应诉{part}",
        "由行政机关负责人出庭应诉",
        "负责人出庭应诉率",
    ),
    Ratio(
        "mediation_success_rate",
        "mediation_cases",
        "mediation_resolved",
        "人民调解组织调解各类矛盾纠纷{whole}",
        "{part}调解成功",
        "调解成功{part}",
        "调解成功",
        "调解成功率",
    ),
    Ratio(
        "disclosure_substantive_rate",
        "disclosure_requests_concluded",
        "disclosure_requests_granted",
        "办结政府信息公开申请{whole}",
        "{part}予以公开或部分公开",
        "予以公开或部分公开{part}",
        "予以公开",
        "实质公开率",
    ),
    Ratio(
        "disclosure_dispute_correction_rate",
        "disclosure_disputes",
        "disclosure_disputes_corrected",
        "发生政府信息公开行政复议、行政诉讼案件{whole}",
        "被纠错{part}",
        "被纠错{part}",
        "被纠错",
        "纠错率",
    ),
    Ratio(
        "online_service_rate",
        "services_total",
        "services_online",
        "梳理政务服务事项{whole}",
        "{part}实现网上可办",
        "实现网上可办{part}",
        "实现网上可办",
        "网上可办率",
    ),
)


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
        subs[-1] = Subsection(last.title, last.opener, last.indicators + extra, last.mandate, last.mandate_for)
    return subs


def title(scope_name: str, is_city: bool, is_province: bool = False) -> str:
    """安康市创建法治政府建设示范市经验材料; a county uses its own kind (示范县 / 示范区 / 示范市); a province
    does not apply to be a 示范 itself, it leads the creation in its cities and counties."""
    if is_province:
        return f"{scope_name}推进法治政府建设示范创建工作经验材料"
    kind = "市" if is_city else (scope_name[-1] if scope_name[-1] in "县区市" else "县")
    return f"{scope_name}创建法治政府建设示范{kind}经验材料"


def self_name(scope_name: str, is_city: bool, is_province: bool = False) -> str:
    """我市 / 我县 / 我区; a province 我省 (a municipality 我市, an autonomous region 我区)."""
    if is_province:
        return "我市" if scope_name.endswith("市") else ("我区" if scope_name.endswith("区") else "我省")
    if is_city:
        return "我市"
    return "我" + (scope_name[-1] if scope_name[-1] in "县区市" else "县")
