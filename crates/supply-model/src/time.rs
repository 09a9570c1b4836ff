//! Timestamps and durations as a person reads them.

use chrono::{DateTime, NaiveDateTime, Utc};

/// Parses RFC 3339, and the naive `YYYY-MM-DDTHH:MM:SS[.frac]` that Python
/// services often send, read as UTC.
pub fn parse_timestamp(raw: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return Some(at.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|naive| naive.and_utc())
}

/// "45 s", "12 min", "3 h 5 min", "2 d 4 h": the two largest units.
pub fn format_duration_secs(total: i64) -> String {
    let total = total.max(0);
    let (days, hours, minutes, seconds) = (
        total / 86_400,
        total % 86_400 / 3_600,
        total % 3_600 / 60,
        total % 60,
    );
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{seconds} s"),
        (0, 0, m) => {
            if seconds == 0 {
                format!("{m} min")
            } else {
                format!("{m} min {seconds} s")
            }
        }
        (0, h, m) => format!("{h} h {m} min"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

/// "12 s ago", "in 3 min": the distance from `now` to `at`.
pub fn relative_to(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let delta = (at - now).num_seconds();
    if delta.abs() < 1 {
        "just now".to_owned()
    } else if delta < 0 {
        format!("{} ago", format_duration_secs(-delta))
    } else {
        format!("in {}", format_duration_secs(delta))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rfc3339_and_naive_timestamps() {
        let zulu = parse_timestamp("2023-11-07T05:31:56Z");
        let naive = parse_timestamp("2023-11-07T05:31:56.250");
        let offset = parse_timestamp("2023-11-07T06:31:56+01:00");
        assert_eq!(zulu, offset);
        assert!(naive.is_some());
        assert_eq!(parse_timestamp("yesterday"), None);
    }

    #[test]
    fn durations_use_the_two_largest_units() {
        assert_eq!(format_duration_secs(0), "0 s");
        assert_eq!(format_duration_secs(45), "45 s");
        assert_eq!(format_duration_secs(120), "2 min");
        assert_eq!(format_duration_secs(125), "2 min 5 s");
        assert_eq!(format_duration_secs(3_900), "1 h 5 min");
        assert_eq!(format_duration_secs(190_000), "2 d 4 h");
        assert_eq!(format_duration_secs(-5), "0 s");
    }

    #[test]
    fn relative_times_read_both_ways() {
        let now = parse_timestamp("2026-01-01T00:00:00Z").unwrap();
        let earlier = parse_timestamp("2025-12-31T23:59:48Z").unwrap();
        let later = parse_timestamp("2026-01-01T00:03:00Z").unwrap();
        assert_eq!(relative_to(earlier, now), "12 s ago");
        assert_eq!(relative_to(later, now), "in 3 min");
        assert_eq!(relative_to(now, now), "just now");
    }
}
