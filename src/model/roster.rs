use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::{Enterprise, Laborer, Post, PovertyStatus};

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
        })
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

    /// Number of subjects: laborers + enterprises + posts.
    pub fn len(&self) -> usize {
        self.laborers.len() + self.enterprises.len() + self.posts.len()
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
