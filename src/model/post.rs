use serde::{Deserialize, Serialize};

use super::coded_enum;
use crate::money::Yuan;

/// Who employs the holder of a public-welfare post.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmployerKind {
    /// 镇办: a town government or sub-district office.
    TownOffice,
    /// 学校.
    School,
    /// 卫生院.
    HealthCenter,
    /// 村(社区) committee.
    Village,
    /// Any other employer.
    #[default]
    Other,
}

coded_enum!(EmployerKind {
    TownOffice => "town_office",
    School => "school",
    HealthCenter => "health_center",
    Village => "village",
    Other => "other",
});

/// The kind of public-welfare post.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostKind {
    /// 疫情防控协管员临时性公益专岗.
    EpidemicAssistant,
    /// Any other 公益性岗位.
    #[default]
    PublicWelfare,
}

coded_enum!(PostKind { EpidemicAssistant => "epidemic_assistant", PublicWelfare => "public_welfare" });

/// A public-welfare post (公益性岗位), one row of `posts.csv`: the subject of R8.
///
/// ```
/// use jiuye_fupin::model::{EmployerKind, Post};
/// use jiuye_fupin::money::Yuan;
/// let p = Post {
///     employer_kind: EmployerKind::School,
///     holder_id: "L0000001".into(),
///     monthly_wage: Yuan::parse("1500")?,
///     months_paid: 6,
///     ..Post::new("P0000001")
/// };
/// assert_eq!(p.months_paid, 6);
/// # Ok::<(), jiuye_fupin::money::MoneyError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    /// Unique id.
    pub id: String,
    /// Kind of employer.
    pub employer_kind: EmployerKind,
    /// Employer's name.
    pub employer_name: String,
    /// Town or sub-district.
    pub town: String,
    /// Village, for a village post; `None` for a post of the town office.
    pub village: Option<String>,
    /// Kind of post.
    pub post_kind: PostKind,
    /// The laborer holding the post (an id of the roster's laborers).
    pub holder_id: String,
    /// Monthly wage of the post.
    pub monthly_wage: Yuan,
    /// Months for which the wage was paid.
    pub months_paid: u32,
}

impl Post {
    /// A post with this id and every other field empty or zero.
    pub fn new(id: impl Into<String>) -> Post {
        Post {
            id: id.into(),
            ..Post::default()
        }
    }
}
