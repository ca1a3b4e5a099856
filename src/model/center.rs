use serde::{Deserialize, Serialize};

use super::coded_enum;
use crate::money::Yuan;

/// The level of a startup center (创业中心).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CenterLevel {
    /// 县级: a county-level center.
    County,
    /// 镇级: a town-level center.
    #[default]
    Town,
}

coded_enum!(CenterLevel { County => "county", Town => "town" });

/// A startup center's claim for one year, one row of `startup_centers.csv`: the subject of
/// R7.
///
/// ```
/// use jiuye_fupin::model::{CenterLevel, StartupCenter};
/// use jiuye_fupin::money::Yuan;
/// let c = StartupCenter {
///     level: CenterLevel::County,
///     year: Some(2020),
///     claimed_rent: Yuan::parse("150000")?,
///     claimed_utilities: Yuan::parse("62000.50")?,
///     ..StartupCenter::new("C01")
/// };
/// assert_eq!(c.level, CenterLevel::County);
/// # Ok::<(), jiuye_fupin::money::MoneyError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartupCenter {
    /// Unique id.
    pub id: String,
    /// Name of the center.
    pub name: String,
    /// County or town level.
    pub level: CenterLevel,
    /// Town of a town-level center (may be empty for a county-level one).
    pub town: String,
    /// The year claimed; January 1 of it selects R7's parameters (empty: the as-of date).
    pub year: Option<i32>,
    /// Rent (房租) of the incubated enterprises claimed for the year.
    pub claimed_rent: Yuan,
    /// Water and electricity (水电费) claimed for the year.
    pub claimed_utilities: Yuan,
}

impl StartupCenter {
    /// A center with this id and every other field empty or zero.
    pub fn new(id: impl Into<String>) -> StartupCenter {
        StartupCenter {
            id: id.into(),
            ..StartupCenter::default()
        }
    }
}
