//! Simulated time: the start instant, plus real elapsed time scaled by
//! `time_scale`, plus manual advances. The core never reads this itself; it
//! takes `now` as an argument so tests can drive time directly.

use std::sync::Mutex;
use std::time::Instant;

use chrono::{DateTime, Duration, SubsecRound, Utc};

/// About a thousand years: far more than any test needs.
const MAX_OFFSET_MS: i64 = 1000 * 366 * 86_400 * 1000;

#[derive(Debug)]
pub struct Clock {
    real_origin: Instant,
    sim_origin: DateTime<Utc>,
    time_scale: f64,
    advanced_ms: Mutex<i64>,
}

impl Clock {
    /// A clock that starts at the current wall time, whole seconds, so the
    /// timestamps the API shows stay tidy.
    pub fn new(time_scale: f64) -> Self {
        Self::starting_at(Utc::now().trunc_subsecs(0), time_scale)
    }

    pub fn starting_at(sim_origin: DateTime<Utc>, time_scale: f64) -> Self {
        let time_scale = if time_scale.is_finite() && time_scale >= 0.0 {
            time_scale
        } else {
            1.0
        };
        Self {
            real_origin: Instant::now(),
            sim_origin,
            time_scale,
            advanced_ms: Mutex::new(0),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        let real_ms = self.real_origin.elapsed().as_secs_f64() * 1000.0 * self.time_scale;
        // Clamped so absurd scales or advances saturate instead of
        // overflowing the calendar (which would panic).
        let total_ms = (real_ms + self.advanced_ms() as f64).clamp(0.0, MAX_OFFSET_MS as f64);
        self.sim_origin
            .checked_add_signed(Duration::milliseconds(total_ms as i64))
            .unwrap_or(self.sim_origin)
    }

    /// Moves simulated time forward; negative amounts are ignored because
    /// the simulation assumes time never goes back.
    pub fn advance(&self, secs: f64) {
        if secs.is_finite() && secs > 0.0 {
            let mut advanced = self.advanced_ms.lock().unwrap_or_else(|e| e.into_inner());
            let add = (secs * 1000.0).min(MAX_OFFSET_MS as f64) as i64;
            *advanced = advanced.saturating_add(add).min(MAX_OFFSET_MS);
        }
    }

    pub fn advanced_ms(&self) -> i64 {
        *self.advanced_ms.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn time_scale(&self) -> f64 {
        self.time_scale
    }

    pub fn origin(&self) -> DateTime<Utc> {
        self.sim_origin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward() {
        let origin = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        // Scale 0 freezes real time so the test sees only the manual advance.
        let clock = Clock::starting_at(origin, 0.0);
        assert_eq!(clock.now(), origin);
        clock.advance(1800.0);
        clock.advance(-50.0);
        assert_eq!(clock.now(), origin + Duration::seconds(1800));
        // Absurd advances saturate rather than overflow.
        clock.advance(1e300);
        clock.advance(1e300);
        assert!(clock.now() > origin + Duration::days(365 * 900));
    }

    #[test]
    fn scaled_time_runs_faster() {
        let origin = Utc::now();
        let clock = Clock::starting_at(origin, 1000.0);
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(clock.now() - origin >= Duration::seconds(10));
    }
}
