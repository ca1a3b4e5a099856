use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::coded_enum;
use crate::money::Yuan;

/// Registration as a poor person (建档立卡).
///
/// ```
/// use jiuye_fupin::model::PovertyStatus;
/// let s: PovertyStatus = "lifted".parse()?;
/// assert!(s.is_poor_laborer());
/// assert!(!PovertyStatus::None.is_poor_laborer());
/// # Ok::<(), jiuye_fupin::model::UnknownCode>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PovertyStatus {
    /// 剩余贫困人口: registered and still poor.
    RemainingPoor,
    /// 已脱贫人口: registered and lifted out of poverty.
    Lifted,
    /// Not registered.
    #[default]
    None,
}

coded_enum!(PovertyStatus { RemainingPoor => "remaining_poor", Lifted => "lifted", None => "none" });

impl PovertyStatus {
    /// A poor laborer (贫困劳动力) is a registered person, still poor or lifted out.
    pub const fn is_poor_laborer(self) -> bool {
        matches!(self, PovertyStatus::RemainingPoor | PovertyStatus::Lifted)
    }
}

/// Where a laborer works.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkDestination {
    /// Not working.
    #[default]
    None,
    /// 就近就业: in Yang County.
    InCounty,
    /// 外出务工: outside the county.
    OutOfCounty,
}

coded_enum!(WorkDestination { None => "none", InCounty => "in_county", OutOfCounty => "out_of_county" });

/// A laborer (劳动力), one row of `laborers.csv`.
///
/// ```
/// use jiuye_fupin::model::{Laborer, PovertyStatus, WorkDestination};
/// use jiuye_fupin::money::Yuan;
///
/// let l = Laborer {
///     poverty_status: PovertyStatus::Lifted,
///     able_to_work: true,
///     work_destination: WorkDestination::OutOfCounty,
///     transport_cost: Some(Yuan::parse("523.40")?),
///     ..Laborer::new("L0000001")
/// };
/// assert_eq!(l.id, "L0000001");
/// # Ok::<(), jiuye_fupin::money::MoneyError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Laborer {
    /// Unique id.
    pub id: String,
    /// Optional display name (an extra `name` column; not part of POLICY.md's format).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Household (户) id: the ledger's unit 到户.
    pub household_id: String,
    /// Town or sub-district (镇/街道办).
    pub town: String,
    /// Village or community (村/社区).
    pub village: String,
    /// 建档立卡 status.
    pub poverty_status: PovertyStatus,
    /// 有劳动能力.
    pub able_to_work: bool,
    /// 有就业意愿.
    pub willing_to_work: bool,
    /// 应届高校毕业生.
    pub fresh_graduate: bool,
    /// 湖北务工返乡: back from Hubei (a priority group).
    pub hubei_returnee: bool,
    /// Member of a 零就业家庭 (a priority group).
    pub zero_employment_household: bool,
    /// Where the laborer works.
    pub work_destination: WorkDestination,
    /// Departure date for work; selects R1's parameters (empty: the as-of date).
    pub departure_date: Option<NaiveDate>,
    /// Documented round-trip transport cost; `None` when undocumented.
    pub transport_cost: Option<Yuan>,
    /// First day of isolation (隔离留观); selects R2's parameters.
    pub isolation_start: Option<NaiveDate>,
    /// Days spent in isolation.
    pub isolation_days: u32,
    /// Opened a store (店面) inside the county.
    pub opened_store_in_county: bool,
    /// Opening date of the store; selects R3's parameters.
    pub store_opened_date: Option<NaiveDate>,
}

impl Laborer {
    /// A laborer with this id and every other field empty (`false`, `none`, no dates).
    pub fn new(id: impl Into<String>) -> Laborer {
        Laborer {
            id: id.into(),
            ..Laborer::default()
        }
    }

    /// A priority laborer (重点人群, S1): back from Hubei (湖北务工返乡) or a member of a
    /// zero-employment household (零就业家庭). Every work list puts them first.
    ///
    /// > 全力保障湖北务工返乡贫困劳动力和“零就业家庭”等重点人群实现务工就业
    ///
    /// ```
    /// use jiuye_fupin::model::Laborer;
    /// assert!(Laborer { hubei_returnee: true, ..Laborer::new("L1") }.is_priority());
    /// assert!(Laborer { zero_employment_household: true, ..Laborer::new("L2") }.is_priority());
    /// assert!(!Laborer::new("L3").is_priority());
    /// ```
    pub const fn is_priority(&self) -> bool {
        self.hubei_returnee || self.zero_employment_household
    }
}
