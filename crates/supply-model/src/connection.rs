//! A ready connection bundle for a resource: the SSH command, an
//! `~/.ssh/config` block, a VS Code Remote-SSH link, the known-hosts hint
//! for reused addresses, and the cost accrued so far.

use chrono::{DateTime, Utc};

use crate::resource::{ResourceAccessInfo, ResourceSummary};

/// Where and as whom to connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshTarget {
    pub user: Option<String>,
    pub host: String,
    pub port: u16,
}

impl SshTarget {
    /// From the API's access info: `ssh_command` when it parses, else the
    /// external IP; `ssh_port` wins over a port in the command.
    pub fn from_access(access: &ResourceAccessInfo) -> Option<Self> {
        let from_command = access.ssh_command.as_deref().and_then(parse_ssh_command);
        let mut target = from_command.or_else(|| {
            Some(SshTarget {
                user: None,
                host: access.external_ip.clone().filter(|ip| !ip.is_empty())?,
                port: 22,
            })
        })?;
        if let Some(port) = access.ssh_port {
            target.port = port;
        }
        Some(target)
    }

    fn destination(&self) -> String {
        match &self.user {
            Some(user) => format!("{user}@{}", self.host),
            None => self.host.clone(),
        }
    }

    /// `ssh [-p port] user@host`.
    pub fn command(&self) -> String {
        if self.port == 22 {
            format!("ssh {}", self.destination())
        } else {
            format!("ssh -p {} {}", self.port, self.destination())
        }
    }

    /// A `Host` block for `~/.ssh/config`.
    pub fn config_block(&self, alias: &str) -> String {
        let mut block = format!("Host {alias}\n    HostName {}\n", self.host);
        if let Some(user) = &self.user {
            block.push_str(&format!("    User {user}\n"));
        }
        if self.port != 22 {
            block.push_str(&format!("    Port {}\n", self.port));
        }
        block
    }

    /// Opens a VS Code window on the host through Remote-SSH.
    pub fn vscode_link(&self) -> String {
        let authority = if self.port == 22 {
            self.destination()
        } else {
            format!("{}:{}", self.destination(), self.port)
        };
        format!(
            "vscode://vscode-remote/ssh-remote+{}/",
            crate::url::encode_component(&authority)
        )
    }

    /// Forgets an old host key when a provider hands out a reused address.
    pub fn known_hosts_hint(&self) -> String {
        if self.port == 22 {
            format!("ssh-keygen -R {}", self.host)
        } else {
            format!("ssh-keygen -R '[{}]:{}'", self.host, self.port)
        }
    }
}

/// Reads `ssh [-p N] [-i file] [user@]host` as vendors print it.
pub fn parse_ssh_command(command: &str) -> Option<SshTarget> {
    let mut words = command.split_whitespace();
    if words.next()? != "ssh" {
        return None;
    }
    let mut port = 22;
    let mut destination = None;
    while let Some(word) = words.next() {
        match word {
            "-p" => port = words.next()?.parse().ok()?,
            "-i" | "-l" | "-o" | "-J" | "-F" => {
                words.next()?;
            }
            flag if flag.starts_with('-') => {}
            host => destination = Some(host),
        }
    }
    let destination = destination?;
    let (user, host) = match destination.rsplit_once('@') {
        Some((user, host)) => (Some(user.to_owned()), host),
        None => (None, destination),
    };
    (!host.is_empty()).then(|| SshTarget {
        user,
        host: host.to_owned(),
        port,
    })
}

/// A `Host` alias from a resource name: letters, digits, `-`, `_` and `.`.
pub fn host_alias(name: &str) -> String {
    let alias: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let alias = alias.trim_matches('-');
    if alias.is_empty() {
        "gpu-resource".to_owned()
    } else {
        alias.to_owned()
    }
}

/// USD accrued at `hourly` from `since` to `now` (never negative).
pub fn accrued_cost(hourly: f64, since: DateTime<Utc>, now: DateTime<Utc>) -> f64 {
    let seconds = (now - since).num_milliseconds().max(0) as f64 / 1000.0;
    hourly * seconds / 3600.0
}

/// Everything needed to connect, ready to copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionBundle {
    pub target: SshTarget,
    /// The `Host` name used in the config block.
    pub alias: String,
    pub command: String,
    pub config_block: String,
    pub vscode_link: String,
    pub known_hosts_hint: String,
}

impl ConnectionBundle {
    /// The bundle of a resource that can be reached, named after it.
    pub fn for_resource(resource: &ResourceSummary) -> Option<Self> {
        let target = SshTarget::from_access(resource.access.as_ref()?)?;
        let alias = host_alias(
            resource
                .name
                .as_deref()
                .filter(|name| !name.trim().is_empty())
                .unwrap_or(&resource.resource_id),
        );
        Some(Self {
            command: target.command(),
            config_block: target.config_block(&alias),
            vscode_link: target.vscode_link(),
            known_hosts_hint: target.known_hosts_hint(),
            alias,
            target,
        })
    }
}

/// "$12.3456": to the hundredth of a cent, so a live figure visibly moves.
pub fn format_accrued(amount: f64) -> String {
    if amount.is_finite() {
        format!("${}", crate::decimal::fixed(amount, 4))
    } else {
        "—".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_timestamp;

    fn access(command: Option<&str>, ip: Option<&str>, port: Option<u16>) -> ResourceAccessInfo {
        ResourceAccessInfo {
            ssh_command: command.map(str::to_owned),
            external_ip: ip.map(str::to_owned),
            ssh_port: port,
            ..Default::default()
        }
    }

    #[test]
    fn commands_parse_with_ports_and_flags() {
        let target = parse_ssh_command("ssh -p 22022 -i ~/.ssh/id ubuntu@198.51.100.23").unwrap();
        assert_eq!(target.user.as_deref(), Some("ubuntu"));
        assert_eq!(
            (target.host.as_str(), target.port),
            ("198.51.100.23", 22022)
        );
        assert_eq!(parse_ssh_command("ssh root@203.0.113.10").unwrap().port, 22);
        assert_eq!(parse_ssh_command("mosh root@x"), None);
        assert_eq!(parse_ssh_command("ssh -p"), None);
    }

    #[test]
    fn the_bundle_honours_the_port() {
        let target =
            SshTarget::from_access(&access(Some("ssh ubuntu@198.51.100.23"), None, Some(2222)))
                .unwrap();
        assert_eq!(target.command(), "ssh -p 2222 ubuntu@198.51.100.23");
        assert_eq!(
            target.config_block("train-1"),
            "Host train-1\n    HostName 198.51.100.23\n    User ubuntu\n    Port 2222\n"
        );
        assert_eq!(
            target.vscode_link(),
            "vscode://vscode-remote/ssh-remote+ubuntu%40198.51.100.23%3A2222/"
        );
        assert_eq!(
            target.known_hosts_hint(),
            "ssh-keygen -R '[198.51.100.23]:2222'"
        );
        let plain = SshTarget::from_access(&access(None, Some("203.0.113.10"), None)).unwrap();
        assert_eq!(plain.command(), "ssh 203.0.113.10");
        assert_eq!(
            plain.config_block("x"),
            "Host x\n    HostName 203.0.113.10\n"
        );
        assert_eq!(plain.known_hosts_hint(), "ssh-keygen -R 203.0.113.10");
        assert_eq!(SshTarget::from_access(&access(None, None, Some(22))), None);
    }

    #[test]
    fn aliases_are_safe_for_ssh_config() {
        assert_eq!(host_alias("My GPU box #1"), "My-GPU-box--1");
        assert_eq!(host_alias("   "), "gpu-resource");
    }

    #[test]
    fn cost_accrues_by_the_second() {
        let since = parse_timestamp("2026-11-23T10:00:00Z").unwrap();
        let now = parse_timestamp("2026-11-23T11:30:00Z").unwrap();
        assert!((accrued_cost(2.0, since, now) - 3.0).abs() < 1e-9);
        assert_eq!(accrued_cost(2.0, now, since), 0.0);
    }

    fn resource(json: serde_json::Value) -> ResourceSummary {
        let mut base = serde_json::json!({
            "resource_id": "1c7a6d3f-4e52-4b9f-8d38-6f2a9bae4c12",
            "resource_type": "vm",
            "vendor": "runpod",
            "vendor_region": "US-TX-3",
            "status": "running",
            "created_at": "2026-11-23T09:00:00Z",
        });
        if let (Some(base), serde_json::Value::Object(extra)) = (base.as_object_mut(), json) {
            base.extend(extra);
        }
        serde_json::from_value(base).unwrap()
    }

    #[test]
    fn a_resource_bundle_is_named_after_it_and_keeps_its_port() {
        let r = resource(serde_json::json!({
            "name": "notebook 4090",
            "access": {"ssh_command": "ssh ubuntu@198.51.100.23", "ssh_port": 22022,
                       "external_ip": "198.51.100.23"},
        }));
        let bundle = ConnectionBundle::for_resource(&r).unwrap();
        assert_eq!(bundle.alias, "notebook-4090");
        assert_eq!(bundle.command, "ssh -p 22022 ubuntu@198.51.100.23");
        assert!(bundle.config_block.starts_with("Host notebook-4090\n"));
        assert!(bundle.config_block.contains("    Port 22022\n"));
        assert_eq!(
            bundle.known_hosts_hint,
            "ssh-keygen -R '[198.51.100.23]:22022'"
        );
        assert!(bundle.vscode_link.ends_with("%3A22022/"));
        // Unnamed: the id is the alias.
        let unnamed = resource(serde_json::json!({"access": {"external_ip": "203.0.113.10"}}));
        assert_eq!(
            ConnectionBundle::for_resource(&unnamed).unwrap().alias,
            "1c7a6d3f-4e52-4b9f-8d38-6f2a9bae4c12"
        );
        // Nothing to reach yet.
        let provisioning = resource(serde_json::json!({"access": {"internal_ip": "10.0.0.1"}}));
        assert_eq!(ConnectionBundle::for_resource(&provisioning), None);
        assert_eq!(
            ConnectionBundle::for_resource(&resource(serde_json::json!({}))),
            None
        );
    }

    #[test]
    fn a_resource_accrues_from_valid_from_until_valid_to() {
        use crate::deletion::{cost_so_far, CostSoFar};
        let now = parse_timestamp("2026-11-23T12:00:00Z").unwrap();
        let running = resource(serde_json::json!({
            "pricing_total_hourly": 2.0, "valid_from": "2026-11-23T10:00:00Z",
        }));
        assert_eq!(
            cost_so_far(&running, None, now),
            Some(CostSoFar {
                amount: 4.0,
                frozen_at: None
            })
        );
        let ended = resource(serde_json::json!({
            "pricing_total_hourly": 2.0, "valid_from": "2026-11-23T10:00:00Z",
            "valid_to": "2026-11-23T11:00:00Z",
        }));
        assert_eq!(
            cost_so_far(&ended, None, now),
            Some(CostSoFar {
                amount: 2.0,
                frozen_at: parse_timestamp("2026-11-23T11:00:00Z")
            })
        );
        let reserved = resource(serde_json::json!({
            "pricing_total_hourly": 2.0, "valid_from": "2026-11-23T10:00:00Z",
            "valid_to": "2026-12-23T10:00:00Z",
        }));
        assert_eq!(cost_so_far(&reserved, None, now).unwrap().amount, 4.0);
        // No valid_from: from creation.
        let created = resource(serde_json::json!({"pricing_total_hourly": 1.0}));
        assert_eq!(cost_so_far(&created, None, now).unwrap().amount, 3.0);
        assert_eq!(
            cost_so_far(&resource(serde_json::json!({})), None, now),
            None
        );
        assert_eq!(format_accrued(4.0), "$4.0000");
        assert_eq!(format_accrued(0.000_69), "$0.0007");
    }
}
