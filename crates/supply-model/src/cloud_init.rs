//! Checks a cloud-init script before it is sent: the header the API
//! requires, the 64 KB limit, YAML syntax of `#cloud-config` with line and
//! column, and top-level keys cloud-init does not know, with the nearest
//! known one.

use saphyr_parser::{Event, Parser};

/// The API refuses more than 64 KB (65,536 bytes of UTF-8).
pub const MAX_CLOUD_INIT_BYTES: usize = 65_536;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptKind {
    CloudConfig,
    Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Blocks submitting: the API or cloud-init would refuse it.
    Error,
    /// Probably a mistake, but allowed.
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// 1-based; 0 when the problem is the whole script.
    pub line: usize,
    /// 1-based column in characters; 0 with no position.
    pub column: usize,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CloudInitReport {
    pub kind: Option<ScriptKind>,
    pub bytes: usize,
    pub diagnostics: Vec<Diagnostic>,
    /// A `#cloud-config` whose YAML was not checked: no checker was given
    /// (the console fetches the parser when a script first needs it).
    pub yaml_unchecked: bool,
}

/// Checks the YAML of a `#cloud-config` document ([`check_cloud_config`],
/// or what stands for it where the parser is fetched on demand).
pub type CheckYaml = fn(&str) -> Vec<Diagnostic>;

impl CloudInitReport {
    pub fn blocks_submit(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|diagnostic| diagnostic.severity == Severity::Error)
    }
}

/// Top-level keys of cloud-init's documented modules and settings.
pub const KNOWN_KEYS: &[&str] = &[
    "ansible",
    "apk_repos",
    "apt",
    "apt_pipelining",
    "apt_preserve_sources_list",
    "autoinstall",
    "bootcmd",
    "byobu_by_default",
    "ca_certs",
    "chef",
    "chpasswd",
    "cloud_config_modules",
    "cloud_final_modules",
    "cloud_init_modules",
    "create_hostname_file",
    "datasource",
    "device_aliases",
    "disable_ec2_metadata",
    "disable_root",
    "disk_setup",
    "drivers",
    "fan",
    "final_message",
    "fqdn",
    "fs_setup",
    "groups",
    "growpart",
    "hostname",
    "keyboard",
    "landscape",
    "locale",
    "locale_configfile",
    "lxd",
    "manage_etc_hosts",
    "manage_resolv_conf",
    "mcollective",
    "merge_how",
    "merge_type",
    "mount_default_fields",
    "mounts",
    "ntp",
    "output",
    "package_reboot_if_required",
    "package_update",
    "package_upgrade",
    "packages",
    "password",
    "phone_home",
    "power_state",
    "prefer_fqdn_over_hostname",
    "preserve_hostname",
    "puppet",
    "random_seed",
    "reporting",
    "resize_rootfs",
    "resolv_conf",
    "rh_subscription",
    "rsyslog",
    "runcmd",
    "salt_minion",
    "seed_random",
    "snap",
    "spacewalk",
    "ssh",
    "ssh_authorized_keys",
    "ssh_deletekeys",
    "ssh_fp_console_blacklist",
    "ssh_genkeytypes",
    "ssh_key_console_blacklist",
    "ssh_keys",
    "ssh_pwauth",
    "ssh_publish_hostkeys",
    "ssh_quiet_keygen",
    "swap",
    "system_info",
    "timezone",
    "ubuntu_advantage",
    "ubuntu_pro",
    "updates",
    "user",
    "users",
    "vendor_data",
    "wireguard",
    "write_files",
    "yum_repos",
    "zypper",
];

fn error(line: usize, column: usize, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        line,
        column,
        message,
    }
}

/// Checks `text`; an empty script is fine (cloud-init is optional).
pub fn check_cloud_init(text: &str) -> CloudInitReport {
    check_cloud_init_with(text, Some(check_cloud_config))
}

/// [`check_cloud_init`] with the YAML checked by `check_yaml`, when there
/// is one; without, a `#cloud-config` is reported as `yaml_unchecked`.
/// A function pointer, not a generic, so the body is compiled once.
pub fn check_cloud_init_with(text: &str, check_yaml: Option<CheckYaml>) -> CloudInitReport {
    let bytes = text.len();
    let mut report = CloudInitReport {
        kind: None,
        bytes,
        diagnostics: Vec::new(),
        yaml_unchecked: false,
    };
    if text.trim().is_empty() {
        return report;
    }
    if bytes > MAX_CLOUD_INIT_BYTES {
        report.diagnostics.push(error(
            0,
            0,
            format!(
                "The script is {bytes} bytes, {} over the 64 KB limit (65,536 bytes).",
                bytes - MAX_CLOUD_INIT_BYTES
            ),
        ));
    }
    let first_line = text.lines().next().unwrap_or_default();
    if first_line.trim_end() == "#cloud-config" {
        report.kind = Some(ScriptKind::CloudConfig);
        match check_yaml {
            Some(check) => report.diagnostics.extend(check(text)),
            None => report.yaml_unchecked = true,
        }
    } else if first_line.starts_with("#!/") {
        report.kind = Some(ScriptKind::Shell);
    } else {
        report.diagnostics.push(error(
            1,
            1,
            "The first line must be #cloud-config (YAML) or #!/ and an interpreter \
             (a script, e.g. #!/bin/bash)."
                .to_owned(),
        ));
    }
    report
}

/// YAML syntax and the top-level keys of a `#cloud-config` document.
pub fn check_cloud_config(text: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut depth = 0_usize;
    let mut root_is_mapping = None;
    let mut expecting_key = true;
    for event in Parser::new_from_str(text) {
        let (event, span) = match event {
            Ok(parsed) => parsed,
            Err(scan) => {
                let at = scan.marker();
                found.push(error(
                    at.line(),
                    at.col() + 1,
                    format!("YAML error: {}.", scan.info()),
                ));
                return found;
            }
        };
        let at_root_level = depth == 1 && root_is_mapping == Some(true);
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if depth == 0 {
                    root_is_mapping = Some(matches!(event, Event::MappingStart(..)));
                } else if at_root_level {
                    expecting_key = !expecting_key;
                }
                depth += 1;
            }
            Event::MappingEnd | Event::SequenceEnd => depth = depth.saturating_sub(1),
            Event::Scalar(value, ..) if depth == 0 && !value.trim().is_empty() => {
                root_is_mapping = Some(false);
            }
            Event::Scalar(value, ..) if at_root_level => {
                if expecting_key && !KNOWN_KEYS.contains(&value.as_ref()) {
                    let hint = nearest_key(&value)
                        .map(|near| format!(" Did you mean “{near}”?"))
                        .unwrap_or_default();
                    found.push(Diagnostic {
                        severity: Severity::Warning,
                        line: span.start.line(),
                        column: span.start.col() + 1,
                        message: format!("Unknown top-level key “{value}”.{hint}"),
                    });
                }
                expecting_key = !expecting_key;
            }
            Event::Alias(_) if at_root_level => expecting_key = !expecting_key,
            _ => {}
        }
    }
    if root_is_mapping == Some(false) {
        found.push(error(
            2,
            1,
            "A #cloud-config document is a mapping of keys such as packages: or runcmd:."
                .to_owned(),
        ));
    }
    found
}

/// The known key closest to `key` by edit distance, if close enough to be
/// a typo.
pub fn nearest_key(key: &str) -> Option<&'static str> {
    let limit = (key.chars().count() / 3).clamp(1, 3);
    KNOWN_KEYS
        .iter()
        .map(|known| (edit_distance(key, known), *known))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, known)| known)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute =
                previous.get(j).copied().unwrap_or(usize::MAX) + usize::from(ca != *cb);
            let delete = previous.get(j + 1).copied().unwrap_or(usize::MAX) + 1;
            let insert = current.get(j).copied().unwrap_or(usize::MAX) + 1;
            current.push(substitute.min(delete).min(insert));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or_default()
}
