//! When to poll next. The status, k0rdent instance and resource pages
//! share this: a steady interval while things move (or the wait the answer
//! itself calls for), backing off on errors, honouring
//! `Retry-After`, and stopping at a final state or an error only a person
//! can fix.

use crate::failure::ApiFailure;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollPolicy {
    /// The published pattern polls every 15 s.
    pub interval_secs: u32,
    /// Backoff never waits longer than this.
    pub max_backoff_secs: u32,
}

impl Default for PollPolicy {
    fn default() -> Self {
        Self {
            interval_secs: 15,
            max_backoff_secs: 120,
        }
    }
}

/// What an answer says about the next poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settle {
    /// Nothing will change any more.
    Final,
    /// Ask again after the policy's interval.
    Again,
    /// Ask again after this many seconds, sooner or later than usual.
    AgainIn(u32),
}

impl Settle {
    /// [`Settle::Final`] when `final_state`, else [`Settle::Again`].
    pub fn final_if(final_state: bool) -> Self {
        if final_state {
            Self::Final
        } else {
            Self::Again
        }
    }
}

/// What the last poll brought.
#[derive(Debug, Clone, PartialEq)]
pub enum PollOutcome<'a> {
    /// An answer, and what it says of the next poll.
    Answer(Settle),
    /// A failure: backoff, `Retry-After`, or a stop.
    Failed(&'a ApiFailure),
}

/// Why polling stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollStop {
    Finished,
    /// The token, the id or the request is wrong: retrying cannot help.
    NeedsAttention,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PollState {
    failures_in_a_row: u32,
}

impl PollState {
    pub fn failures_in_a_row(&self) -> u32 {
        self.failures_in_a_row
    }

    /// Seconds to wait before the next poll, or why there is none.
    pub fn after(&mut self, outcome: PollOutcome<'_>, policy: PollPolicy) -> Result<u32, PollStop> {
        match outcome {
            PollOutcome::Answer(settle) => {
                self.failures_in_a_row = 0;
                match settle {
                    Settle::Final => Err(PollStop::Finished),
                    Settle::Again => Ok(policy.interval_secs),
                    Settle::AgainIn(secs) => Ok(secs.max(1)),
                }
            }
            PollOutcome::Failed(ApiFailure::Aborted) => Err(PollStop::Finished),
            PollOutcome::Failed(failure) if !failure.is_retryable() => {
                Err(PollStop::NeedsAttention)
            }
            PollOutcome::Failed(failure) => {
                self.failures_in_a_row = self.failures_in_a_row.saturating_add(1);
                let backoff = policy
                    .interval_secs
                    .saturating_mul(1_u32 << self.failures_in_a_row.min(16))
                    .min(policy.max_backoff_secs)
                    .max(policy.interval_secs);
                match failure {
                    ApiFailure::Http {
                        retry_after_secs: Some(secs),
                        ..
                    } => Ok((*secs).max(1)),
                    _ => Ok(backoff),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(status: u16, retry_after: Option<&str>) -> ApiFailure {
        ApiFailure::from_response(status, "", retry_after)
    }

    #[test]
    fn an_answer_may_name_its_own_wait() {
        let mut state = PollState::default();
        let policy = PollPolicy::default();
        assert_eq!(
            state.after(PollOutcome::Answer(Settle::AgainIn(4)), policy),
            Ok(4)
        );
        assert_eq!(
            state.after(PollOutcome::Answer(Settle::AgainIn(0)), policy),
            Ok(1)
        );
        assert_eq!(Settle::final_if(true), Settle::Final);
        assert_eq!(Settle::final_if(false), Settle::Again);
    }

    #[test]
    fn answers_keep_the_interval_until_final() {
        let mut state = PollState::default();
        let policy = PollPolicy::default();
        assert_eq!(
            state.after(PollOutcome::Answer(Settle::Again), policy),
            Ok(15)
        );
        assert_eq!(
            state.after(PollOutcome::Answer(Settle::Final), policy),
            Err(PollStop::Finished)
        );
    }

    #[test]
    fn errors_back_off_and_recover() {
        let mut state = PollState::default();
        let policy = PollPolicy::default();
        let outage = http(503, None);
        let waits: Vec<_> = (0..5)
            .map(|_| state.after(PollOutcome::Failed(&outage), policy))
            .collect();
        assert_eq!(waits, [Ok(30), Ok(60), Ok(120), Ok(120), Ok(120)]);
        assert_eq!(state.failures_in_a_row(), 5);
        assert_eq!(
            state.after(PollOutcome::Answer(Settle::Again), policy),
            Ok(15)
        );
        assert_eq!(state.failures_in_a_row(), 0);
        let offline = ApiFailure::Network { origin: "x".into() };
        assert_eq!(state.after(PollOutcome::Failed(&offline), policy), Ok(30));
    }

    #[test]
    fn rate_limits_wait_as_told() {
        let mut state = PollState::default();
        let limited = http(429, Some("42"));
        assert_eq!(
            state.after(PollOutcome::Failed(&limited), PollPolicy::default()),
            Ok(42)
        );
        let zero = http(429, Some("0"));
        assert_eq!(
            state.after(PollOutcome::Failed(&zero), PollPolicy::default()),
            Ok(1)
        );
    }

    #[test]
    fn errors_a_person_must_fix_stop_polling() {
        for status in [401, 403, 404, 410, 422] {
            let mut state = PollState::default();
            let failure = http(status, None);
            assert_eq!(
                state.after(PollOutcome::Failed(&failure), PollPolicy::default()),
                Err(PollStop::NeedsAttention),
                "{status}"
            );
        }
    }
}
