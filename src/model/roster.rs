use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::{
    Enterprise, Laborer, LoanApplication, Post, PostMonth, PovertyStatus, StartupCenter, id_key,
};

/// A roster that breaks one of the invariants [`Roster::new`] checks.
///
/// Indices are positions in the vectors given to [`Roster::new`] (0-based), so a caller that
/// read them from a file can name the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RosterError {
    /// Two laborers share an id.
    #[error("laborer id {id:?} appears twice (records {first} and {second})")]
    DuplicateLaborer {
        /// The id.
        id: String,
        /// Index of the first record.
        first: usize,
        /// Index of the repeated record.
        second: usize,
    },
    /// Two enterprises share an id.
    #[error("enterprise id {id:?} appears twice (records {first} and {second})")]
    DuplicateEnterprise {
        /// The id.
        id: String,
        /// Index of the first record.
        first: usize,
        /// Index of the repeated record.
        second: usize,
    },
    /// Two posts share an id.
    #[error("post id {id:?} appears twice (records {first} and {second})")]
    DuplicatePost {
        /// The id.
        id: String,
        /// Index of the first record.
        first: usize,
        /// Index of the repeated record.
        second: usize,
    },
    /// Two loan applications by the same laborer.
    #[error("laborer {id:?} applies for a loan twice (records {first} and {second})")]
    DuplicateLoan {
        /// The laborer id.
        id: String,
        /// Index of the first application.
        first: usize,
        /// Index of the repeated application.
        second: usize,
    },
    /// Two startup centers share an id.
    #[error("startup center id {id:?} appears twice (records {first} and {second})")]
    DuplicateCenter {
        /// The id.
        id: String,
        /// Index of the first record.
        first: usize,
        /// Index of the repeated record.
        second: usize,
    },
    /// A post month of a post that is not in the roster.
    #[error("post month {month} names post {post_id:?}, which is not among the posts")]
    UnknownPost {
        /// Index of the post month.
        month: usize,
        /// The unknown post id.
        post_id: String,
    },
    /// Two records for the same post and month.
    #[error("post {post_id:?} has two records for {month} (records {first} and {second})")]
    DuplicatePostMonth {
        /// The post.
        post_id: String,
        /// The month.
        month: String,
        /// Index of the first record.
        first: usize,
        /// Index of the repeated record.
        second: usize,
    },
    /// An enterprise lays off more employees than it insures.
    #[error(
        "enterprise {id:?} (record {enterprise}) lays off {layoffs} of {headcount} insured employees"
    )]
    LayoffsExceedHeadcount {
        /// Index of the enterprise.
        enterprise: usize,
        /// Its id.
        id: String,
        /// Layoffs.
        layoffs: u32,
        /// Insured headcount.
        headcount: u32,
    },
}

impl RosterError {
    /// The problem in `lang`.
    ///
    /// ```
    /// use jiuye_fupin::model::RosterError;
    /// use jiuye_fupin::Lang;
    /// let e = RosterError::DuplicateLoan { id: "L9".into(), first: 0, second: 2 };
    /// assert_eq!(e.render(Lang::Zh), "劳动力 \"L9\" 两次申请贷款 (记录 0 和 2)");
    /// assert_eq!(e.render(Lang::En), e.to_string());
    /// ```
    pub fn render(&self, lang: crate::Lang) -> String {
        use RosterError as R;
        if lang == crate::Lang::En {
            return self.to_string();
        }
        match self {
            R::DuplicateLaborer { id, first, second } => {
                format!("劳动力 id {id:?} 出现两次 (记录 {first} 和 {second})")
            }
            R::DuplicateEnterprise { id, first, second } => {
                format!("企业 id {id:?} 出现两次 (记录 {first} 和 {second})")
            }
            R::DuplicatePost { id, first, second } => {
                format!("岗位 id {id:?} 出现两次 (记录 {first} 和 {second})")
            }
            R::DuplicateLoan { id, first, second } => {
                format!("劳动力 {id:?} 两次申请贷款 (记录 {first} 和 {second})")
            }
            R::DuplicateCenter { id, first, second } => {
                format!("创业孵化基地 id {id:?} 出现两次 (记录 {first} 和 {second})")
            }
            R::UnknownPost { month, post_id } => {
                format!("岗位月度记录 {month} 的岗位 {post_id:?} 不在岗位名单中")
            }
            R::DuplicatePostMonth {
                post_id,
                month,
                first,
                second,
            } => format!("岗位 {post_id:?} 在 {month} 有两条记录 (记录 {first} 和 {second})"),
            R::LayoffsExceedHeadcount {
                enterprise,
                id,
                layoffs,
                headcount,
            } => format!(
                "企业 {id:?} (记录 {enterprise}) 裁员 {layoffs} 人，超过参保职工 {headcount} 人"
            ),
        }
    }
}

/// Every problem of a roster: at least one [`RosterError`], in the order found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{first}{}", if rest.is_empty() { String::new() } else { format!(" (and {} more)", rest.len()) })]
pub struct RosterErrors {
    first: RosterError,
    rest: Vec<RosterError>,
}

impl RosterErrors {
    /// The first problem.
    pub fn first(&self) -> &RosterError {
        &self.first
    }

    /// Every problem, in order.
    pub fn iter(&self) -> impl Iterator<Item = &RosterError> {
        std::iter::once(&self.first).chain(&self.rest)
    }

    /// How many problems (at least one).
    pub fn len(&self) -> usize {
        self.rest.len().saturating_add(1)
    }

    /// Always `false`: there is at least one problem.
    pub fn is_empty(&self) -> bool {
        false
    }
}

impl IntoIterator for RosterErrors {
    type Item = RosterError;
    type IntoIter = std::iter::Chain<std::iter::Once<RosterError>, std::vec::IntoIter<RosterError>>;
    fn into_iter(self) -> Self::IntoIter {
        std::iter::once(self.first).chain(self.rest)
    }
}

/// The records of a roster before validation, each kind in input order.
///
/// ```
/// use jiuye_fupin::model::{Laborer, Post, Roster, RosterParts};
/// let parts = RosterParts {
///     laborers: vec![Laborer::new("L1"), Laborer::new("L1")],
///     posts: vec![Post::new("P1"), Post::new("P1")],
///     ..RosterParts::default()
/// };
/// let errors = Roster::from_parts(parts).unwrap_err();
/// assert_eq!(errors.len(), 2); // the duplicate laborer and the duplicate post
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterParts {
    /// Laborers (`laborers.csv`).
    pub laborers: Vec<Laborer>,
    /// Enterprises (`enterprises.csv`).
    pub enterprises: Vec<Enterprise>,
    /// Posts (`posts.csv`).
    pub posts: Vec<Post>,
    /// Loan applications (`loan_applications.csv`).
    pub loans: Vec<LoanApplication>,
    /// Startup centers (`startup_centers.csv`).
    pub centers: Vec<StartupCenter>,
    /// Posts' monthly records (`post_months.csv`).
    pub post_months: Vec<PostMonth>,
    /// Whether the posts' monthly records were read at all, even from a `post_months.csv`
    /// with its header alone (POLICY.md reading 10: R10 is audited exactly then); true as
    /// soon as there is a record.
    pub post_months_read: bool,
}

/// The subjects of one evaluation: laborers, enterprises, posts, loan applications, startup
/// centers and the posts' monthly records, validated together.
///
/// Built only through [`Roster::new`] (and its `with_*` additions) or
/// [`Roster::from_parts`], which check that ids are unique within each kind (one loan
/// application a person), that every monthly record is of a known post (one per post and
/// month), and that no enterprise lays off more employees than it insures; the rules can
/// then rely on all of it. A post's holder and a loan's applicant need not be laborers
/// ([`Holder`], [`Roster::loans_with_applicants`]): a holder who is not is not registered
/// as poor.
///
/// ```
/// use jiuye_fupin::model::{Laborer, Post, Roster, RosterError};
///
/// let laborers = vec![Laborer::new("L1")];
/// let ok = Roster::new(laborers.clone(), vec![], vec![Post { holder_id: "L1".into(), ..Post::new("P1") }])?;
/// assert_eq!(ok.posts().len(), 1);
///
/// let bad = Roster::new(laborers, vec![], vec![Post::new("P1"), Post::new("P1")]);
/// assert!(matches!(bad, Err(RosterError::DuplicatePost { .. })));
/// # Ok::<(), RosterError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    laborers: Vec<Laborer>,
    enterprises: Vec<Enterprise>,
    posts: Vec<Post>,
    /// For each post, who holds it.
    holders: Vec<HolderAt>,
    loans: Vec<LoanApplication>,
    /// For each loan application, the index of its applicant in `laborers`, if there.
    applicants: Vec<Option<usize>>,
    centers: Vec<StartupCenter>,
    post_months: Vec<PostMonth>,
    /// For each post month, the index of its post in `posts`.
    month_posts: Vec<usize>,
    post_months_read: bool,
}

/// Indexes `items` by `key` (compared as [`id_key`]s), recording an error for every repeat.
fn index_by<'a, T>(
    items: &'a [T],
    key: impl Fn(&'a T) -> &'a str,
    repeat: impl Fn(String, usize, usize) -> RosterError,
    errors: &mut Vec<RosterError>,
) -> HashMap<Cow<'a, str>, usize> {
    let mut seen = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match seen.entry(id_key(key(item))) {
            Entry::Occupied(o) => errors.push(repeat(key(item).to_owned(), *o.get(), i)),
            Entry::Vacant(v) => {
                v.insert(i);
            }
        }
    }
    seen
}

/// For each item, the index its reference points to, recording an error for each unknown one.
fn resolve<'a, T>(
    items: &'a [T],
    reference: impl Fn(&'a T) -> &'a str,
    index: &HashMap<Cow<'_, str>, usize>,
    unknown: impl Fn(usize, &'a T) -> RosterError,
    errors: &mut Vec<RosterError>,
) -> Vec<usize> {
    (items.iter().enumerate())
        .map(
            |(i, item)| match index.get(id_key(reference(item)).as_ref()) {
                Some(&at) => at,
                None => {
                    errors.push(unknown(i, item));
                    usize::MAX
                }
            },
        )
        .collect()
}

/// Who holds a post: one of the roster's laborers, or a person who is not among them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HolderAt {
    /// The laborer at this index.
    Laborer(usize),
    /// Not a laborer: named first by the post at this index (the holders of other posts whose
    /// `holder_id` is the same id, as [`id_key`] compares, are the same person).
    Unlisted(usize),
}

/// Each post's holder: the laborer its `holder_id` names (compared as [`id_key`]s), or, for
/// a holder who is not among the laborers, the first post naming the same person.
fn resolve_holders(posts: &[Post], by_laborer: &HashMap<Cow<'_, str>, usize>) -> Vec<HolderAt> {
    let mut unlisted: HashMap<Cow<'_, str>, usize> = HashMap::new();
    (posts.iter().enumerate())
        .map(|(i, p)| {
            let key = id_key(&p.holder_id);
            match by_laborer.get(key.as_ref()) {
                Some(&at) => HolderAt::Laborer(at),
                None => HolderAt::Unlisted(*unlisted.entry(key).or_insert(i)),
            }
        })
        .collect()
}

/// The holder of a post, as the roster resolved the post's `holder_id` ([`id_key`]s: POLICY.md
/// reading 12).
///
/// A holder need not be among the laborers: a post may be held by someone who is not on the
/// roster of laborers, who is then not a registered poor laborer as far as the roster shows
/// (R8 decides the post, ineligible with `holder_not_poor`; R10 audits it as any other).
///
/// ```
/// use jiuye_fupin::model::{Laborer, Post, PovertyStatus, Roster};
///
/// let poor = Laborer { poverty_status: PovertyStatus::Lifted, ..Laborer::new("L1") };
/// let posts = vec![
///     Post { holder_id: "L1".into(), ..Post::new("P1") },
///     Post { holder_id: "X9".into(), ..Post::new("P2") },
///     Post { holder_id: " X9".into(), ..Post::new("P3") },
/// ];
/// let roster = Roster::new(vec![poor], vec![], posts)?;
/// let holders: Vec<_> = roster.posts_with_holders().map(|(_, h)| (h.id, h.poverty_status())).collect();
/// assert_eq!(holders, [
///     ("L1", PovertyStatus::Lifted),
///     ("X9", PovertyStatus::None),
///     ("X9", PovertyStatus::None), // the same person as P2's holder
/// ]);
/// # Ok::<(), jiuye_fupin::model::RosterError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holder<'a> {
    /// The holder's id: the laborer's, as written in the laborers' file; for a holder who is
    /// not among the laborers, the `holder_id` of the first post naming them, as written.
    pub id: &'a str,
    /// The laborer, when the holder is one of the roster's laborers.
    pub laborer: Option<&'a Laborer>,
}

impl Holder<'_> {
    /// The holder's registration status: the laborer's, or [`PovertyStatus::None`] (not
    /// registered) for a holder who is not among the laborers.
    pub fn poverty_status(&self) -> PovertyStatus {
        self.laborer
            .map_or(PovertyStatus::None, |l| l.poverty_status)
    }
}

impl Roster {
    /// Validates and assembles a roster of laborers, enterprises and posts.
    ///
    /// # Errors
    /// The first [`RosterError`] found (see [`Roster::from_parts`] for all of them).
    pub fn new(
        laborers: Vec<Laborer>,
        enterprises: Vec<Enterprise>,
        posts: Vec<Post>,
    ) -> Result<Roster, RosterError> {
        Roster::first_error(Roster::from_parts(RosterParts {
            laborers,
            enterprises,
            posts,
            ..RosterParts::default()
        }))
    }

    fn first_error(r: Result<Roster, RosterErrors>) -> Result<Roster, RosterError> {
        r.map_err(|errors| errors.first)
    }

    /// Validates and assembles a roster from all its parts, reporting **every** problem:
    /// records in input order, laborers first, then enterprises, posts, loan applications,
    /// centers and post months.
    ///
    /// # Errors
    /// Every [`RosterError`] found.
    pub fn from_parts(parts: RosterParts) -> Result<Roster, RosterErrors> {
        let RosterParts {
            laborers,
            enterprises,
            posts,
            loans,
            centers,
            post_months,
            post_months_read,
        } = parts;
        let mut errors = Vec::new();
        let by_laborer = index_by(
            &laborers,
            |l| &l.id,
            |id, first, second| RosterError::DuplicateLaborer { id, first, second },
            &mut errors,
        );
        index_by(
            &enterprises,
            |e| &e.id,
            |id, first, second| RosterError::DuplicateEnterprise { id, first, second },
            &mut errors,
        );
        for (i, e) in enterprises.iter().enumerate() {
            if e.layoffs > e.insured_headcount {
                errors.push(RosterError::LayoffsExceedHeadcount {
                    enterprise: i,
                    id: e.id.clone(),
                    layoffs: e.layoffs,
                    headcount: e.insured_headcount,
                });
            }
        }
        let by_post = index_by(
            &posts,
            |p| &p.id,
            |id, first, second| RosterError::DuplicatePost { id, first, second },
            &mut errors,
        );
        let holders = resolve_holders(&posts, &by_laborer);
        index_by(
            &loans,
            |a| &a.laborer_id,
            |id, first, second| RosterError::DuplicateLoan { id, first, second },
            &mut errors,
        );
        let applicants = (loans.iter())
            .map(|a| by_laborer.get(id_key(&a.laborer_id).as_ref()).copied())
            .collect();
        index_by(
            &centers,
            |c| &c.id,
            |id, first, second| RosterError::DuplicateCenter { id, first, second },
            &mut errors,
        );
        let month_posts = resolve(
            &post_months,
            |m| &m.post_id,
            &by_post,
            |i, m| RosterError::UnknownPost {
                month: i,
                post_id: m.post_id.clone(),
            },
            &mut errors,
        );
        let mut seen: HashMap<(Cow<'_, str>, super::YearMonth), usize> = HashMap::new();
        for (i, m) in post_months.iter().enumerate() {
            match seen.entry((id_key(&m.post_id), m.month)) {
                Entry::Occupied(o) => errors.push(RosterError::DuplicatePostMonth {
                    post_id: m.post_id.clone(),
                    month: m.month.to_string(),
                    first: *o.get(),
                    second: i,
                }),
                Entry::Vacant(v) => {
                    v.insert(i);
                }
            }
        }
        drop((by_laborer, by_post, seen));
        let mut errors = errors.into_iter();
        if let Some(first) = errors.next() {
            return Err(RosterErrors {
                first,
                rest: errors.collect(),
            });
        }
        Ok(Roster {
            laborers,
            enterprises,
            posts,
            holders,
            loans,
            applicants,
            centers,
            post_months_read: post_months_read || !post_months.is_empty(),
            post_months,
            month_posts,
        })
    }

    /// The roster taken apart again (to add records and validate anew).
    pub fn into_parts(self) -> RosterParts {
        RosterParts {
            laborers: self.laborers,
            enterprises: self.enterprises,
            posts: self.posts,
            loans: self.loans,
            centers: self.centers,
            post_months: self.post_months,
            post_months_read: self.post_months_read,
        }
    }

    /// Adds the loan applications (R4): one per applicant (an applicant need not be one of
    /// the laborers: R4 asks nothing of the person but what the application says).
    ///
    /// # Errors
    /// The first [`RosterError`]: [`RosterError::DuplicateLoan`].
    ///
    /// ```
    /// use jiuye_fupin::model::{Laborer, LoanApplication, Roster};
    /// let r = Roster::new(vec![Laborer::new("L1")], vec![], vec![])?
    ///     .with_loans(vec![LoanApplication::new("L1")])?;
    /// assert_eq!(r.loans().len(), 1);
    /// # Ok::<(), jiuye_fupin::model::RosterError>(())
    /// ```
    pub fn with_loans(self, loans: Vec<LoanApplication>) -> Result<Roster, RosterError> {
        Roster::first_error(Roster::from_parts(RosterParts {
            loans,
            ..self.into_parts()
        }))
    }

    /// Adds the startup centers' claims (R7).
    ///
    /// # Errors
    /// The first [`RosterError`]: [`RosterError::DuplicateCenter`].
    pub fn with_centers(self, centers: Vec<StartupCenter>) -> Result<Roster, RosterError> {
        Roster::first_error(Roster::from_parts(RosterParts {
            centers,
            ..self.into_parts()
        }))
    }

    /// Adds the posts' monthly records (R10): each of a post of the roster, one per post and
    /// month.
    ///
    /// # Errors
    /// The first [`RosterError`]: [`RosterError::UnknownPost`] or
    /// [`RosterError::DuplicatePostMonth`].
    pub fn with_post_months(self, post_months: Vec<PostMonth>) -> Result<Roster, RosterError> {
        Roster::first_error(Roster::from_parts(RosterParts {
            post_months,
            post_months_read: true,
            ..self.into_parts()
        }))
    }

    /// The laborers, in input order.
    pub fn laborers(&self) -> &[Laborer] {
        &self.laborers
    }

    /// The enterprises, in input order.
    pub fn enterprises(&self) -> &[Enterprise] {
        &self.enterprises
    }

    /// The posts, in input order.
    pub fn posts(&self) -> &[Post] {
        &self.posts
    }

    /// The loan applications, in input order.
    pub fn loans(&self) -> &[LoanApplication] {
        &self.loans
    }

    /// The loan applications, each with its applicant when the applicant is one of the
    /// laborers (`laborer_id` compared as an [`id_key`]).
    pub fn loans_with_applicants(
        &self,
    ) -> impl Iterator<Item = (&LoanApplication, Option<&Laborer>)> + '_ {
        (self.loans.iter().zip(&self.applicants))
            .map(|(a, &i)| (a, i.and_then(|i| self.laborers.get(i))))
    }

    /// The startup centers' claims, in input order.
    pub fn centers(&self) -> &[StartupCenter] {
        &self.centers
    }

    /// The posts' monthly records, in input order.
    pub fn post_months(&self) -> &[PostMonth] {
        &self.post_months
    }

    /// Whether the posts' monthly records were read (a `post_months.csv`, even with its
    /// header alone, or [`Roster::with_post_months`]): R10 is audited exactly then.
    pub fn has_post_months(&self) -> bool {
        self.post_months_read
    }

    /// The posts' monthly records, each with its post and the post's holder.
    pub fn post_months_with_posts(
        &self,
    ) -> impl Iterator<Item = (&PostMonth, &Post, Holder<'_>)> + '_ {
        self.post_months
            .iter()
            .zip(&self.month_posts)
            .filter_map(|(m, &p)| {
                let post = self.posts.get(p)?;
                Some((m, post, self.holder(p)?))
            })
    }

    /// The posts, each with its holder.
    pub fn posts_with_holders(&self) -> impl Iterator<Item = (&Post, Holder<'_>)> + '_ {
        (self.posts.iter().zip(&self.holders)).filter_map(|(p, &at)| Some((p, self.holder_at(at)?)))
    }

    /// The holder of the `index`-th post (`None`: no such post).
    pub fn holder(&self, index: usize) -> Option<Holder<'_>> {
        self.holder_at(*self.holders.get(index)?)
    }

    /// The holder `at` names.
    fn holder_at(&self, at: HolderAt) -> Option<Holder<'_>> {
        Some(match at {
            HolderAt::Laborer(l) => {
                let laborer = self.laborers.get(l)?;
                Holder {
                    id: &laborer.id,
                    laborer: Some(laborer),
                }
            }
            HolderAt::Unlisted(p) => Holder {
                id: &self.posts.get(p)?.holder_id,
                laborer: None,
            },
        })
    }

    /// The registration status of the holder of the `index`-th post ([`Holder::poverty_status`];
    /// `None`: no such post).
    pub fn holder_status(&self, index: usize) -> Option<PovertyStatus> {
        self.holder(index).map(|h| h.poverty_status())
    }

    /// Number of subjects: laborers, enterprises, posts, loan applications and centers.
    pub fn len(&self) -> usize {
        [
            self.laborers.len(),
            self.enterprises.len(),
            self.posts.len(),
            self.loans.len(),
            self.centers.len(),
        ]
        .iter()
        .fold(0, |a, &n| a.saturating_add(n))
    }

    /// How many decisions an evaluation makes: three per laborer (R1, R2, R3), one per loan
    /// application (R4), two per enterprise (R5, R6), one per center (R7) and post (R8).
    pub fn decision_count(&self) -> usize {
        [
            self.laborers.len().saturating_mul(3),
            self.loans.len(),
            self.enterprises.len().saturating_mul(2),
            self.centers.len(),
            self.posts.len(),
        ]
        .iter()
        .fold(0, |a, &n| a.saturating_add(n))
    }

    /// `true` when the roster has no subject at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
