//! Policy parameters: every number of every rule, as dated histories, loaded from a file.
//!
//! Rules are code; numbers are data. A [`Policy`] holds the parameters of each rule
//! (`[transport_subsidy]`, `[isolation_allowance]`, ... in the file), each a
//! [`History`](crate::dated::History) of dated values. The Yang County 2020 preset ships
//! inside the crate ([`Policy::yang_county_2020`], [`YANG_COUNTY_2020_TOML`]); another county
//! loads its own file with [`Policy::load`], and needs no recompilation.
//!
//! A file is validated as it is read: every parameter present and no unknown key, every
//! history non-empty with strictly increasing dates, money non-negative, rates in `0..=1`,
//! windows that end after they start. Errors name the parameter and the line.
//!
//! # Example: load, then change a number in a copy
//! ```
//! use jiuye_fupin::Policy;
//!
//! let yang = Policy::yang_county_2020();
//! let text = jiuye_fupin::policy::YANG_COUNTY_2020_TOML.replace("\"500.00\"", "\"600.00\"");
//! let other = Policy::from_toml_str(&text)?;
//! assert_ne!(yang, other);
//!
//! let bad = jiuye_fupin::policy::YANG_COUNTY_2020_TOML.replace("\"0.60\", source = \"S3", "\"1.60\", source = \"S3");
//! let err = Policy::from_toml_str(&bad).unwrap_err().to_string();
//! assert!(err.contains("outside 0..=1") && err.contains("line"), "{err}");
//! # Ok::<(), jiuye_fupin::policy::PolicyError>(())
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::rules::{
    assistant_quota, guaranteed_loan, isolation, post_compliance, post_subsidy, premium_deferral,
    startup_center, startup_grant, transport, ui_refund,
};

/// The Yang County 2020 preset, as shipped (`policies/yang-county-2020.toml`).
pub const YANG_COUNTY_2020_TOML: &str = include_str!("../policies/yang-county-2020.toml");

/// A policy file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The file could not be read.
    #[error("cannot read policy file {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a valid policy: bad syntax, a missing or unknown parameter, or an
    /// invalid value. The message names the parameter and shows the line.
    #[error("invalid policy{}{}: {source}",
        path.as_ref().map(|p| format!(" file {}", p.display())).unwrap_or_default(),
        if parameter.is_empty() || parameter == "." { String::new() } else { format!(", at {parameter}") })]
    Invalid {
        /// The file, when read from one.
        path: Option<PathBuf>,
        /// Where in the policy: `transport_subsidy.cap[0].value`.
        parameter: String,
        /// The cause, with line and column.
        source: Box<toml::de::Error>,
    },
}

/// The parameters of every rule.
///
/// ```
/// use jiuye_fupin::Policy;
/// use jiuye_fupin::rules::Parameters;
/// let p = Policy::yang_county_2020();
/// let r1 = p.transport_subsidy().in_force("2020-04-01".parse()?)?;
/// assert_eq!(r1.cap.to_string(), "500.00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    transport_subsidy: transport::Params,
    isolation_allowance: isolation::Params,
    startup_grant: startup_grant::Params,
    guaranteed_loan: guaranteed_loan::Params,
    ui_refund: ui_refund::Params,
    premium_deferral: premium_deferral::Params,
    startup_center_subsidy: startup_center::Params,
    post_subsidy: post_subsidy::Params,
    assistant_quota: assistant_quota::Params,
    post_compliance: post_compliance::Params,
}

impl Policy {
    /// The Yang County 2020 preset (POLICY.md's defaults).
    ///
    /// # Panics
    /// Never: the embedded file is valid (a unit test loads it).
    pub fn yang_county_2020() -> Policy {
        #[allow(clippy::expect_used)] // the embedded preset is constant and tested
        Policy::from_toml_str(YANG_COUNTY_2020_TOML).expect("embedded preset is valid")
    }

    /// Reads a policy from TOML text.
    ///
    /// # Errors
    /// [`PolicyError::Invalid`], naming the key and line.
    pub fn from_toml_str(text: &str) -> Result<Policy, PolicyError> {
        parse(text, None)
    }

    /// Reads a policy file.
    ///
    /// # Errors
    /// [`PolicyError::Io`] or [`PolicyError::Invalid`].
    pub fn load(path: impl AsRef<Path>) -> Result<Policy, PolicyError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Io {
            path: path.to_owned(),
            source,
        })?;
        parse(&text, Some(path))
    }

    /// The policy's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where the policy comes from, if the file says.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// R1's parameters.
    pub fn transport_subsidy(&self) -> &transport::Params {
        &self.transport_subsidy
    }

    /// R2's parameters.
    pub fn isolation_allowance(&self) -> &isolation::Params {
        &self.isolation_allowance
    }

    /// R3's parameters.
    pub fn startup_grant(&self) -> &startup_grant::Params {
        &self.startup_grant
    }

    /// R4's parameters.
    pub fn guaranteed_loan(&self) -> &guaranteed_loan::Params {
        &self.guaranteed_loan
    }

    /// R7's parameters.
    pub fn startup_center_subsidy(&self) -> &startup_center::Params {
        &self.startup_center_subsidy
    }

    /// R9's parameters.
    pub fn assistant_quota(&self) -> &assistant_quota::Params {
        &self.assistant_quota
    }

    /// R10's parameters.
    pub fn post_compliance(&self) -> &post_compliance::Params {
        &self.post_compliance
    }

    /// R5's parameters.
    pub fn ui_refund(&self) -> &ui_refund::Params {
        &self.ui_refund
    }

    /// R6's parameters.
    pub fn premium_deferral(&self) -> &premium_deferral::Params {
        &self.premium_deferral
    }

    /// R8's parameters.
    pub fn post_subsidy(&self) -> &post_subsidy::Params {
        &self.post_subsidy
    }
}

/// Deserializes a policy, keeping the path to the offending parameter.
fn parse(text: &str, path: Option<&Path>) -> Result<Policy, PolicyError> {
    let invalid = |parameter: String, e: toml::de::Error| PolicyError::Invalid {
        path: path.map(Path::to_owned),
        parameter,
        source: Box::new(e),
    };
    let de = toml::Deserializer::parse(text).map_err(|e| invalid(String::new(), e))?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let parameter = e.path().to_string();
        invalid(parameter, e.into_inner())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Parameters;

    #[test]
    fn the_preset_loads_and_has_the_articles_figures() {
        let p = Policy::yang_county_2020();
        let d = |s: &str| s.parse().unwrap();
        let r1 = p.transport_subsidy().in_force(d("2020-04-01")).unwrap();
        assert_eq!(r1.cap.to_string(), "500.00");
        let r2 = p.isolation_allowance().in_force(d("2020-04-01")).unwrap();
        assert_eq!(
            (r2.daily_rate.to_string(), r2.max_days),
            ("20.00".into(), 7)
        );
        let r3 = p.startup_grant().in_force(d("2020-04-01")).unwrap();
        assert_eq!(r3.amount.to_string(), "5000.00");
        let r5 = |s| p.ui_refund().in_force(d(s)).unwrap().rate.to_string();
        assert_eq!(
            (
                r5("2020-01-24"),
                r5("2020-01-25"),
                r5("2020-12-31"),
                r5("2021-01-01")
            ),
            ("0.5".into(), "0.6".into(), "0.6".into(), "0.5".into())
        );
        assert_eq!(
            p.premium_deferral()
                .in_force(d("2020-04-01"))
                .unwrap()
                .max_months,
            6
        );
        assert_eq!(
            p.post_subsidy()
                .in_force(d("2020-04-01"))
                .unwrap()
                .rate
                .to_string(),
            "0.6"
        );
    }

    fn err(text: &str) -> String {
        Policy::from_toml_str(text).unwrap_err().to_string()
    }

    #[test]
    fn invalid_files_name_the_parameter_and_the_line() {
        let base = YANG_COUNTY_2020_TOML;
        let e = err(&base.replace("\"500.00\"", "\"-500.00\""));
        assert!(
            e.contains("negative")
                && e.contains("line 21")
                && e.contains("transport_subsidy.cap[0].value"),
            "{e}"
        );
        let e = err(&base.replace("max_days = [", "max_dayz = ["));
        assert!(e.contains("max_dayz"), "{e}");
        let e = err(&base.replace(
            "{ effective_from = \"2021-01-01\", value = \"0.50\"",
            "{ effective_from = \"2020-01-01\", value = \"0.50\"",
        ));
        assert!(
            e.contains("strictly increasing") && e.contains("ui_refund.rate"),
            "{e}"
        );
        let e = err(&base.replace("value = 12,", "value = 12.5,"));
        assert!(e.contains("ui_refund.min_insured_months"), "{e}");
        let e = err(&base.replace("[post_subsidy]", "[post_subsidy_x]"));
        assert!(e.contains("post_subsidy"), "{e}");
        let e = err(&base.replace("to = \"2020-12-31\" } }", "to = \"2019-12-31\" } }"));
        assert!(e.contains("before it starts"), "{e}");
    }

    #[test]
    fn a_policy_survives_a_toml_round_trip() {
        let p = Policy::yang_county_2020();
        let text = toml::to_string(&p).unwrap();
        assert_eq!(Policy::from_toml_str(&text).unwrap(), p);
    }
}
