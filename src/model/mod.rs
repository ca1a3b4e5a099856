//! The domain model: the people, enterprises and posts the policy is about, and the
//! [`Roster`] that holds them.
//!
//! These are plain data with public fields, built by hand or read from the interchange CSVs
//! ([`crate::io`]). Everything the article distinguishes is an enum, never a string.
//! A [`Roster`] is the validated whole: ids are unique, every post holder and loan applicant
//! is a known laborer, every post month names a known post, and no enterprise lays off more
//! people than it insures.

mod center;
mod enterprise;
pub(crate) mod id;
mod laborer;
mod loan;
mod post;
mod post_month;
mod roster;

pub use center::{CenterLevel, StartupCenter};
pub use enterprise::{Enterprise, EnterpriseKind};
pub(crate) use id::is_plain;
pub use id::{id_key, invisible_char};
pub use laborer::{Laborer, PovertyStatus, WorkDestination};
pub use loan::LoanApplication;
pub use post::{EmployerKind, Post, PostKind};
pub use post_month::{BadMonth, PostMonth, YearMonth};
pub use roster::{Holder, Roster, RosterError, RosterErrors, RosterParts};

/// Implements `code()`, `FromStr`, `Display` and the list of codes for a code-named enum.
macro_rules! coded_enum {
    ($ty:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $ty {
            /// Every code, in declaration order, as written in the interchange files.
            pub const CODES: &'static [&'static str] = &[$($code),+];

            /// The code used in the interchange files.
            pub const fn code(self) -> &'static str {
                match self { $($ty::$variant => $code),+ }
            }
        }

        impl crate::model::Coded for $ty {
            const CODES: &'static [&'static str] = &[$($code),+];
            const VALUES: &'static [Self] = &[$($ty::$variant),+];
        }

        impl std::str::FromStr for $ty {
            type Err = crate::model::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($code => Ok($ty::$variant),)+
                    _ => Err(crate::model::UnknownCode { expected: Self::CODES }),
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
pub(crate) use coded_enum;

/// An enum written as codes in the interchange files: its codes and its values, in the
/// same order (for readers that match bytes without making a `str`).
pub(crate) trait Coded: Copy + 'static {
    /// The codes.
    const CODES: &'static [&'static str];
    /// The values, in the order of `CODES`.
    const VALUES: &'static [Self];
}

/// A string that is none of an enum's codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected one of {}", expected.join(", "))]
pub struct UnknownCode {
    /// The codes that would have been accepted.
    pub expected: &'static [&'static str],
}
