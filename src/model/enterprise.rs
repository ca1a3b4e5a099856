use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::coded_enum;
use crate::money::Yuan;

/// What kind of enterprise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnterpriseKind {
    /// 社区工厂.
    CommunityFactory,
    /// 就业扶贫基地.
    PovertyBase,
    /// Any other enterprise.
    #[default]
    Other,
}

coded_enum!(EnterpriseKind {
    CommunityFactory => "community_factory",
    PovertyBase => "poverty_base",
    Other => "other",
});

/// An enterprise (企业), one row of `enterprises.csv`: the subject of R5 and R6.
///
/// ```
/// use jiuye_fupin::model::Enterprise;
/// use jiuye_fupin::money::Yuan;
/// let e = Enterprise {
///     ui_insured: true,
///     ui_insured_months: 24,
///     insured_headcount: 200,
///     layoffs: 11,
///     prior_year_ui_paid: Yuan::parse("10000.00")?,
///     ..Enterprise::new("E000001")
/// };
/// assert_eq!(e.layoffs, 11);
/// # Ok::<(), jiuye_fupin::money::MoneyError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enterprise {
    /// Unique id.
    pub id: String,
    /// Registered name.
    pub name: String,
    /// Town or sub-district.
    pub town: String,
    /// Kind of enterprise.
    pub kind: EnterpriseKind,
    /// Insured for unemployment insurance (参保).
    pub ui_insured: bool,
    /// Months insured for unemployment insurance.
    pub ui_insured_months: u32,
    /// Unemployment insurance actually paid in the previous year (上年度实际缴费), by the
    /// enterprise and its employees.
    pub prior_year_ui_paid: Yuan,
    /// Insured employees.
    pub insured_headcount: u32,
    /// Employees laid off (at most `insured_headcount`).
    pub layoffs: u32,
    /// Temporary hardship from the epidemic (暂时性生产经营困难).
    pub hardship: bool,
    /// Months of premium deferral requested.
    pub deferral_months_requested: u32,
    /// Monthly pension insurance premium.
    pub monthly_pension_premium: Yuan,
    /// Monthly unemployment insurance premium.
    pub monthly_unemployment_premium: Yuan,
    /// Monthly work-injury insurance premium.
    pub monthly_injury_premium: Yuan,
    /// Application date; selects R5's and R6's parameters (empty: the as-of date).
    pub application_date: Option<NaiveDate>,
}

impl Enterprise {
    /// An enterprise with this id and every other field empty or zero.
    pub fn new(id: impl Into<String>) -> Enterprise {
        Enterprise {
            id: id.into(),
            ..Enterprise::default()
        }
    }
}
