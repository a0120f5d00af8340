"""Every component id of the app, defined once.

Layouts give these ids to the components they build; callbacks name them in their inputs, outputs
and triggers. Pattern-matching ids are dicts whose "type" is one of the `*_TYPE` names here.
(Browser tests and `assets/caregap.js` address the same ids as DOM ids.)
"""

from __future__ import annotations

# the app shell
URL = "url"
VIEW_QUERY = "view-query"  # the view's query string, the page's single source of truth
PAGE = "page"

# navbar
DATASET_PICKER = "dataset-picker"
LANG = "lang"
DOWNLOAD_FORMATS = ("csv", "xlsx", "png", "pdf")
DOWNLOAD_MENU = "download-menu"
PRESENT_TOGGLE = "present-toggle"
SCENARIO_TITLE = "scenario-title"
DATASET_TITLE = "dataset-title"
IMPORT_LINK = "import-link"


def download_button(fmt: str) -> str:
    return f"download-{fmt}"


def download_format(button_id: str) -> str:
    """The format a download button stands for (inverse of `download_button`)."""
    return button_id.removeprefix("download-")


# page body
ROOT = "root"
CONTROLS_COLUMN = "controls-col"
ALERT = "alert"
DOWNLOAD = "download"
DOWNLOAD_STATUS = "download-status"
SUMMARY = "summary"
SUMMARY_INNER = "summary-inner"
SUMMARY_RATIOS = "summary-ratios"
DATA_NOTES = "data-notes"
ATTRIBUTION = "attribution"
PRESENT = "present"
SELECTED_UNIT = "selected-unit"
CURRENT_SCENARIO = "current-scenario"
FTE_CHANGES = "fte-changes"
TABS = "tabs"
TAB_TABLE = "tab-table"
TAB_TREND = "tab-trend"
TAB_CHANGES = "tab-changes"
TAB_SCENARIOS = "tab-scenarios"
TAB_COMPARE = "tab-compare"
TAB_PROVIDERS = "tab-providers"
PROVIDERS_TABLE = "providers-table"  # per provider: areas, posts, Soll, gap
TABLE = "table"
TREND = "trend"
TREND_BOX = "trend-box"  # holds the trend chart once its tab is opened
# a new view for the trend tab and the detail panel, set in the browser only while they are shown
TREND_VIEW = "trend-view"
PROVIDERS_VIEW = "providers-view"  # the view the provider tab must show, set in the browser when it is shown
DETAIL_VIEW = "detail-view"
SCENARIO_ERROR = "scenario-error"


def summary_card(key: str) -> str:
    """The value of one summary card (`soll`, `population`, …)."""
    return f"summary-{key}"


# controls (the widgets a view is made of)
CONTROLS = "controls"
SERVICE = "service"
MEASURE = "measure"
LEVEL = "level"
YEAR = "year"
RATIO_OVERRIDES = "ratio-overrides"
RATIO_PLANS = "ratio-plans"  # the milestone ratios by rule and year, for the sliders in the browser
RATIO_STEPS = "ratio-steps"  # where each service's ramp steps (its milestone years), for the ramp in the browser
POPULATION_RULE = "population-rule"
BETWEEN = "between"
FTE_COST = "fte-cost"
WAGE_GROWTH = "wage-growth"
BASEMAP = "basemap"
CATCHMENT = "catchment"  # where supply counts: own, level:<level>, distance
RADIUS_KM = "catchment-radius"
DECAY = "catchment-decay"
CATCHMENT_DISTANCE = "catchment-distance"  # radius and decay: shown only with the distance rule
RATIO_SLIDER_TYPE = "ratio-slider"
RATIO_RESET_TYPE = "ratio-reset"


def ratio_block(service: str) -> str:
    return f"ratio-block-{service}"


# map
MAP = "map"
MAP_LEGEND = "map-legend"

# detail panel
DETAIL = "detail"
DETAIL_BODY = "detail-body"
DETAIL_FIGURES = "detail-figures"
DETAIL_SITES = "detail-sites"
DETAIL_SERVING = "detail-serving"  # the sites whose posts reach the area, with their shares
DETAIL_TREND = "detail-trend"

# planned changes
CHANGE_DISTRICT = "change-district"
CHANGE_SERVICE = "change-service"
CHANGE_YEAR = "change-year"
CHANGE_DELTA = "change-delta"
CHANGE_ADD = "change-add"
CHANGES_LIST = "changes-list"
CHANGE_REMOVE_TYPE = "change-remove"

# scenarios
SCENARIO_STATUS = "scenario-status"
SCENARIO_NAME = "scenario-name"
SCENARIO_DESCRIPTION = "scenario-description"
SCENARIO_SAVE = "scenario-save"
SCENARIO_SAVE_NEW = "scenario-save-new"
SCENARIO_RENAME = "scenario-rename"
SCENARIO_DUPLICATE = "scenario-duplicate"
SCENARIO_DELETE = "scenario-delete"
SCENARIO_DELETE_CONFIRM = "scenario-delete-confirm"
SCENARIO_FEEDBACK = "scenario-feedback"
SCENARIO_ALERT = "scenario-alert"
SCENARIO_LINK = "scenario-link"
SCENARIO_COPY = "scenario-copy"  # the button that copies the link (a real, focusable control)
SCENARIO_CLIPBOARD = "scenario-clipboard"  # copies when the button is pressed
SCENARIO_LIST = "scenario-list"
SCENARIO_OPEN_TYPE = "scenario-open"

# compare
COMPARE_A = "compare-a"
COMPARE_B = "compare-b"
COMPARE_RESULT = "compare-result"
COMPARE_TABLE = "compare-table"
COMPARE_MAP_A = "compare-map-a"
COMPARE_MAP_B = "compare-map-b"
COMPARE_MAP_DELTA = "compare-map-delta"
COMPARE_CITY = "compare-city"

# import page
IMPORT_ROOT = "import-root"
IMPORT_SESSION = "import-session"
IMPORT_FILES = "import-files"
IMPORT_CHECKED = "import-checked"
IMPORT_PREVIEWS = "import-previews"
IMPORT_ID = "import-id"
IMPORT_TITLE = "import-title"
IMPORT_COST = "import-cost"
IMPORT_ATTRIBUTION = "import-attribution"
IMPORT_NOTES = "import-notes"
IMPORT_SERVICES = "import-services"
IMPORT_ADD_SERVICE = "import-add-service"
IMPORT_CHECK = "import-check"
IMPORT_SAVE = "import-save"
IMPORT_REPORT = "import-report"
IMPORT_REPORT_BODY = "import-report-body"
IMPORT_RESULT = "import-result"
IMPORT_SAVED = "import-saved"
IMPORT_SAVED_ALERT = "import-saved-alert"
IMPORT_OPEN = "import-open"
IMPORT_COLUMN_TYPE = "import-column"
IMPORT_BANDS_TYPE = "import-bands"  # the age-band editor of the population table


def upload(role: str) -> str:
    return f"upload-{role}"


def upload_status(role: str) -> str:
    return f"upload-{role}-status"


# measures plan
TAB_PLAN = "tab-plan"
PLAN_FIRST = "plan-first"
PLAN_LAST = "plan-last"
PLAN_BUDGET = "plan-budget"
PLAN_BUDGET_STEP = "plan-budget-step"
PLAN_HIRES = "plan-hires"
PLAN_STEP = "plan-step"
PLAN_RULE = "plan-rule"
PLAN_COMPUTE = "plan-compute"
PLAN_ADOPT = "plan-adopt"
PLAN_DOWNLOAD_PDF = "plan-download-pdf"
PLAN_DOWNLOAD_CSV = "plan-download-csv"
PLAN_DOWNLOAD = "plan-download"
PLAN_REQUEST = "plan-request"  # the request behind the plan shown (None: none shown yet)
PLAN_RESULT = "plan-result"
PLAN_CHART = "plan-chart"
PLAN_FEEDBACK = "plan-feedback"
PLAN_ALERT = "plan-alert"
PLAN_YEARS_TABLE = "plan-years-table"
PLAN_AREAS_TABLE = "plan-areas-table"
PLAN_PERIODS_TABLE = "plan-periods-table"

# caveats next to the figures and on the map; the presentation mode's shortcut bar
CAVEATS = "caveats"
MAP_CAVEAT = "map-caveat"
PRESENT_BAR = "present-bar"
SCENARIO_CHANGED = "scenario-changed"
SCENARIO_CHANGED_TEXT = "scenario-changed-text"  # the words of the mark, in the page's language
RATIO_VALUE_TYPE = "ratio-value"  # the slider's value written as a ratio, under its label
RATIO_SCOPE_TYPE = "ratio-scope"  # which years a changed ratio holds in: only this one, from it on, all
RATIO_RAMP_TYPE = "ratio-ramp"  # the ratio year by year that results, beside the slider
