use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::{Enterprise, Laborer, LoanApplication, Post, PostMonth, PovertyStatus, StartupCenter};

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
    /// A post's holder is not one of the roster's laborers.
    #[error(
        "post {post_id:?} (record {post}) is held by {holder_id:?}, who is not among the laborers"
    )]
    UnknownHolder {
        /// Index of the post.
        post: usize,
        /// The post's id.
        post_id: String,
        /// The unknown holder id.
        holder_id: String,
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
    /// A loan applicant who is not one of the roster's laborers.
    #[error("loan application {loan} is by {laborer_id:?}, who is not among the laborers")]
    UnknownApplicant {
        /// Index of the application.
        loan: usize,
        /// The unknown laborer id.
        laborer_id: String,
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

/// The subjects of one evaluation: laborers, enterprises and posts, validated together.
///
/// Built only through [`Roster::new`], which checks that ids are unique within each kind,
/// that every post holder is one of the laborers, and that no enterprise lays off more
/// employees than it insures; the rules can then rely on all three.
///
/// ```
/// use jiuye_fupin::model::{Laborer, Post, Roster, RosterError};
///
/// let laborers = vec![Laborer::new("L1")];
/// let ok = Roster::new(laborers.clone(), vec![], vec![Post { holder_id: "L1".into(), ..Post::new("P1") }])?;
/// assert_eq!(ok.posts().len(), 1);
///
/// let bad = Roster::new(laborers, vec![], vec![Post { holder_id: "L9".into(), ..Post::new("P1") }]);
/// assert!(matches!(bad, Err(RosterError::UnknownHolder { .. })));
/// # Ok::<(), RosterError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    laborers: Vec<Laborer>,
    enterprises: Vec<Enterprise>,
    posts: Vec<Post>,
    /// For each post, the index of its holder in `laborers`.
    holders: Vec<usize>,
    loans: Vec<LoanApplication>,
    /// For each loan application, the index of its applicant in `laborers`.
    applicants: Vec<usize>,
    centers: Vec<StartupCenter>,
    post_months: Vec<PostMonth>,
    /// For each post month, the index of its post in `posts`.
    month_posts: Vec<usize>,
}

impl Roster {
    /// Validates and assembles a roster.
    ///
    /// # Errors
    /// The first [`RosterError`] found, laborers first, then enterprises, then posts.
    pub fn new(
        laborers: Vec<Laborer>,
        enterprises: Vec<Enterprise>,
        posts: Vec<Post>,
    ) -> Result<Roster, RosterError> {
        let by_id = unique(&laborers, |l| &l.id)
            .map_err(|(id, first, second)| RosterError::DuplicateLaborer { id, first, second })?;
        unique(&enterprises, |e| &e.id).map_err(|(id, first, second)| {
            RosterError::DuplicateEnterprise { id, first, second }
        })?;
        if let Some((i, e)) = enterprises
            .iter()
            .enumerate()
            .find(|(_, e)| e.layoffs > e.insured_headcount)
        {
            return Err(RosterError::LayoffsExceedHeadcount {
                enterprise: i,
                id: e.id.clone(),
                layoffs: e.layoffs,
                headcount: e.insured_headcount,
            });
        }
        unique(&posts, |p| &p.id).map_err(|(id, first, second)| RosterError::DuplicatePost {
            id,
            first,
            second,
        })?;
        let holders = posts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                by_id
                    .get(p.holder_id.as_str())
                    .copied()
                    .ok_or_else(|| RosterError::UnknownHolder {
                        post: i,
                        post_id: p.id.clone(),
                        holder_id: p.holder_id.clone(),
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        drop(by_id);
        Ok(Roster {
            laborers,
            enterprises,
            posts,
            holders,
            ..Roster::default()
        })
    }

    /// Adds the loan applications (R4): one per laborer, each by a laborer of the roster.
    ///
    /// # Errors
    /// [`RosterError::DuplicateLoan`] or [`RosterError::UnknownApplicant`].
    ///
    /// ```
    /// use jiuye_fupin::model::{Laborer, LoanApplication, Roster};
    /// let r = Roster::new(vec![Laborer::new("L1")], vec![], vec![])?
    ///     .with_loans(vec![LoanApplication::new("L1")])?;
    /// assert_eq!(r.loans().len(), 1);
    /// # Ok::<(), jiuye_fupin::model::RosterError>(())
    /// ```
    pub fn with_loans(mut self, loans: Vec<LoanApplication>) -> Result<Roster, RosterError> {
        unique(&loans, |a| &a.laborer_id)
            .map_err(|(id, first, second)| RosterError::DuplicateLoan { id, first, second })?;
        let by_id = unique(&self.laborers, |l| &l.id).unwrap_or_default();
        let applicants = (loans.iter().enumerate())
            .map(|(i, a)| {
                by_id.get(a.laborer_id.as_str()).copied().ok_or_else(|| {
                    RosterError::UnknownApplicant {
                        loan: i,
                        laborer_id: a.laborer_id.clone(),
                    }
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        drop(by_id);
        self.loans = loans;
        self.applicants = applicants;
        Ok(self)
    }

    /// Adds the startup centers' claims (R7).
    ///
    /// # Errors
    /// [`RosterError::DuplicateCenter`].
    pub fn with_centers(mut self, centers: Vec<StartupCenter>) -> Result<Roster, RosterError> {
        unique(&centers, |c| &c.id)
            .map_err(|(id, first, second)| RosterError::DuplicateCenter { id, first, second })?;
        self.centers = centers;
        Ok(self)
    }

    /// Adds the posts' monthly records (R10): each of a post of the roster, one per post and
    /// month.
    ///
    /// # Errors
    /// [`RosterError::UnknownPost`] or [`RosterError::DuplicatePostMonth`].
    pub fn with_post_months(mut self, months: Vec<PostMonth>) -> Result<Roster, RosterError> {
        let by_id = unique(&self.posts, |p| &p.id).unwrap_or_default();
        let mut seen: HashMap<(&str, super::YearMonth), usize> = HashMap::new();
        let mut month_posts = Vec::with_capacity(months.len());
        for (i, m) in months.iter().enumerate() {
            let post =
                by_id
                    .get(m.post_id.as_str())
                    .copied()
                    .ok_or_else(|| RosterError::UnknownPost {
                        month: i,
                        post_id: m.post_id.clone(),
                    })?;
            if let Some(&first) = seen.get(&(m.post_id.as_str(), m.month)) {
                return Err(RosterError::DuplicatePostMonth {
                    post_id: m.post_id.clone(),
                    month: m.month.to_string(),
                    first,
                    second: i,
                });
            }
            seen.insert((m.post_id.as_str(), m.month), i);
            month_posts.push(post);
        }
        drop((by_id, seen));
        self.post_months = months;
        self.month_posts = month_posts;
        Ok(self)
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

    /// The loan applications, each with its applicant.
    pub fn loans_with_applicants(&self) -> impl Iterator<Item = (&LoanApplication, &Laborer)> + '_ {
        self.loans
            .iter()
            .zip(&self.applicants)
            .filter_map(|(a, &i)| self.laborers.get(i).map(|l| (a, l)))
    }

    /// The startup centers' claims, in input order.
    pub fn centers(&self) -> &[StartupCenter] {
        &self.centers
    }

    /// The posts' monthly records, in input order.
    pub fn post_months(&self) -> &[PostMonth] {
        &self.post_months
    }

    /// The posts' monthly records, each with its post and the post's holder.
    pub fn post_months_with_posts(
        &self,
    ) -> impl Iterator<Item = (&PostMonth, &Post, &Laborer)> + '_ {
        self.post_months
            .iter()
            .zip(&self.month_posts)
            .filter_map(|(m, &p)| {
                let post = self.posts.get(p)?;
                let holder = self.laborers.get(*self.holders.get(p)?)?;
                Some((m, post, holder))
            })
    }

    /// The posts, each with its holder.
    pub fn posts_with_holders(&self) -> impl Iterator<Item = (&Post, &Laborer)> + '_ {
        self.posts
            .iter()
            .zip(&self.holders)
            .filter_map(|(p, &h)| self.laborers.get(h).map(|l| (p, l)))
    }

    /// The registration status of the holder of the `index`-th post.
    pub fn holder_status(&self, index: usize) -> Option<PovertyStatus> {
        let h = *self.holders.get(index)?;
        self.laborers.get(h).map(|l| l.poverty_status)
    }

    /// Number of subjects: laborers, enterprises, posts, loan applications and centers.
    pub fn len(&self) -> usize {
        self.laborers.len()
            + self.enterprises.len()
            + self.posts.len()
            + self.loans.len()
            + self.centers.len()
    }

    /// `true` when the roster has no subject at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Checks that `key` is unique over `items`; returns the index by key, or the first repeat.
fn unique<'a, T>(
    items: &'a [T],
    key: impl Fn(&'a T) -> &'a String,
) -> Result<HashMap<&'a str, usize>, (String, usize, usize)> {
    let mut seen = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match seen.entry(key(item).as_str()) {
            Entry::Occupied(o) => return Err((key(item).clone(), *o.get(), i)),
            Entry::Vacant(v) => {
                v.insert(i);
            }
        }
    }
    Ok(seen)
}
