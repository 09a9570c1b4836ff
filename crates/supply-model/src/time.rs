//! Timestamps and durations as a person reads them.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};

/// Parses RFC 3339 (`2023-11-07T05:31:56.25Z`, `…+01:00`) and the naive
/// `YYYY-MM-DDTHH:MM:SS[.frac]` that Python services often send, read as
/// UTC. Written out rather than using chrono's format parser, which weighs
/// tens of kilobytes in the browser bundle.
pub fn parse_timestamp(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    let (date, rest) = raw.split_at_checked(10)?;
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let mut date_parts = date.split('-');
    let (year, month, day) = (
        number(date_parts.next()?, 4)?,
        number(date_parts.next()?, 2)?,
        number(date_parts.next()?, 2)?,
    );
    let (clock, zone) = split_zone(rest)?;
    let (hms, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let mut hms_parts = hms.split(':');
    let (hour, minute, second) = (
        number(hms_parts.next()?, 2)?,
        number(hms_parts.next()?, 2)?,
        number(hms_parts.next()?, 2)?,
    );
    if hms_parts.next().is_some() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let nanos = fraction
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(9)
        .fold(0_u32, |acc, digit| acc * 10 + u32::from(digit - b'0'));
    let local = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?
        .and_hms_nano_opt(hour, minute, second, nanos)?
        .and_utc();
    Some(local - Duration::seconds(zone))
}

/// `2026-03-01T12:15:00Z`, or with `millis` `2026-03-01T12:15:00.250Z`:
/// what chrono's `to_rfc3339_opts(_, true)` writes for years 0 to 9999,
/// written out for the same reason as [`parse_timestamp`].
pub fn format_rfc3339(at: DateTime<Utc>, millis: bool) -> String {
    let (date, clock) = date_and_clock(at);
    if millis {
        format!(
            "{date}T{clock}.{:03}Z",
            at.timestamp_subsec_millis().min(999)
        )
    } else {
        format!("{date}T{clock}Z")
    }
}

/// `#[serde(with = "supply_model::time::optional_rfc3339")]` for an
/// `Option<DateTime<Utc>>` the console keeps in storage: written with
/// [`format_rfc3339`] and read with [`parse_timestamp`], not by chrono's
/// serde support, which brings chrono's format parser and writer into the
/// page (about 10 KB of code).
pub mod optional_rfc3339 {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(at: &Option<DateTime<Utc>>, out: S) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => out.serialize_str(&super::format_rfc3339(*at, true)),
            None => out.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        input: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        Option::<String>::deserialize(input)?
            .map(|raw| {
                super::parse_timestamp(&raw)
                    .ok_or_else(|| serde::de::Error::custom("not an RFC 3339 time"))
            })
            .transpose()
    }
}

/// "2026-03-01 12:15:00 UTC".
pub fn format_utc(at: DateTime<Utc>) -> String {
    let (date, clock) = date_and_clock(at);
    format!("{date} {clock} UTC")
}

fn date_and_clock(at: DateTime<Utc>) -> (String, String) {
    (
        format!("{:04}-{:02}-{:02}", at.year(), at.month(), at.day()),
        format!("{:02}:{:02}:{:02}", at.hour(), at.minute(), at.second()),
    )
}

/// Exactly `width` ASCII digits.
fn number(text: &str, width: usize) -> Option<u32> {
    (text.len() == width && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Splits `05:31:56.25+01:00` into the clock and the zone's offset in
/// seconds east of UTC; no zone means UTC.
fn split_zone(rest: &str) -> Option<(&str, i64)> {
    if let Some(clock) = rest.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    match rest.rfind(['+', '-']) {
        Some(at) => {
            let (clock, zone) = rest.split_at(at);
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let (hours, minutes) = zone.get(1..)?.split_once(':')?;
            let offset = i64::from(number(hours, 2)?) * 3_600 + i64::from(number(minutes, 2)?) * 60;
            Some((clock, sign * offset))
        }
        None => Some((rest, 0)),
    }
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
    fn a_kept_time_reads_back_as_it_was_written() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Kept {
            #[serde(with = "optional_rfc3339")]
            at: Option<DateTime<Utc>>,
        }
        let at = DateTime::from_timestamp(1_772_367_300, 250_000_000);
        let text = serde_json::to_string(&Kept { at }).unwrap();
        assert_eq!(text, r#"{"at":"2026-03-01T12:15:00.250Z"}"#);
        assert_eq!(serde_json::from_str::<Kept>(&text).unwrap(), Kept { at });
        let none = serde_json::to_string(&Kept { at: None }).unwrap();
        assert_eq!(
            serde_json::from_str::<Kept>(&none).unwrap(),
            Kept { at: None }
        );
        // What chrono's serde wrote before reads back too.
        let chrono_text = serde_json::to_string(&at).unwrap();
        assert_eq!(
            serde_json::from_str::<Kept>(&format!(r#"{{"at":{chrono_text}}}"#)).unwrap(),
            Kept { at }
        );
        assert!(serde_json::from_str::<Kept>(r#"{"at":"yesterday"}"#).is_err());
    }

    #[test]
    fn parses_rfc3339_and_naive_timestamps() {
        let zulu = parse_timestamp("2023-11-07T05:31:56Z");
        let naive = parse_timestamp("2023-11-07T05:31:56.250");
        let offset = parse_timestamp("2023-11-07T06:31:56+01:00");
        assert_eq!(zulu, offset);
        assert_eq!(
            parse_timestamp("2023-11-07T00:31:56-05:00"),
            parse_timestamp("2023-11-07T05:31:56Z")
        );
        assert_eq!(
            naive.unwrap().timestamp_millis() % 1000,
            250,
            "fractions are kept"
        );
        assert_eq!(
            parse_timestamp("2023-11-07 05:31:56"),
            parse_timestamp("2023-11-07T05:31:56Z")
        );
        assert_eq!(zulu.unwrap().timestamp(), 1_699_335_116);
        for bad in [
            "yesterday",
            "",
            "2023-13-07T05:31:56Z",
            "2023-11-07T25:00:00Z",
            "2023-11-07T05:31Z",
            "2023-11-07T05:31:56.x1Z",
            "2023-11-07T05:31:56+0100",
            "2023-11-07T05:31:56:00Z",
            "২০২৩-11-07T05:31:56Z",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn formats_as_chrono_does() {
        for raw in [
            "2026-03-01T12:15:00Z",
            "1999-12-31T23:59:59.999Z",
            "0001-01-01T00:00:00.005Z",
        ] {
            let at = parse_timestamp(raw).unwrap();
            assert_eq!(
                format_rfc3339(at, true),
                at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
            );
            assert_eq!(
                format_rfc3339(at, false),
                at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            );
            assert_eq!(
                format_utc(at),
                at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
            );
        }
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
