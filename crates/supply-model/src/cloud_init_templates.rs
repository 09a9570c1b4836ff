//! Ready-made `#cloud-config` snippets and the merge that inserts one into
//! what is already written: a key the document has gets the new items in
//! its own list, a key it lacks is appended, and the result stays valid
//! YAML (the tests check every template with `check_cloud_init`).

/// What goes under one top-level key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `key: value`, left alone when the document already sets the key.
    Scalar(&'static str, &'static str),
    /// `key:` and list items; each item is YAML text after `- `, its later
    /// lines indented as if `- ` were two spaces.
    List(&'static str, &'static [&'static str]),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    pub name: &'static str,
    pub description: &'static str,
    pub sections: &'static [Section],
}

pub const TEMPLATES: &[Template] = &[
    Template {
        name: "Install packages",
        description: "Refresh the package index and install htop, tmux and git.",
        sections: &[
            Section::Scalar("package_update", "true"),
            Section::List("packages", &["htop", "tmux", "git"]),
        ],
    },
    Template {
        name: "Docker",
        description: "Install Docker and start it at boot.",
        sections: &[
            Section::List("packages", &["docker.io"]),
            Section::List("runcmd", &["[systemctl, enable, --now, docker]"]),
        ],
    },
    Template {
        name: "NVIDIA driver check",
        description: "Log what nvidia-smi sees to /var/log/nvidia-check.log at first boot.",
        sections: &[Section::List(
            "runcmd",
            &["[sh, -c, \"nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv > /var/log/nvidia-check.log 2>&1\"]"],
        )],
    },
    Template {
        name: "Write files",
        description: "Write a file (here, the login message).",
        sections: &[Section::List(
            "write_files",
            &["path: /etc/motd\n  content: |\n    GPU node provisioned from the Supply console.\n  permissions: '0644'"],
        )],
    },
    Template {
        name: "Run a script",
        description: "Write a shell script and run it once at first boot.",
        sections: &[
            Section::List(
                "write_files",
                &["path: /opt/setup.sh\n  permissions: '0755'\n  content: |\n    #!/bin/bash\n    set -euo pipefail\n    echo \"setup ran at $(date)\" >> /var/log/setup.log"],
            ),
            Section::List("runcmd", &["[bash, /opt/setup.sh]"]),
        ],
    },
];

pub fn template(name: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.name == name)
}

/// `text` with `template` merged in, or why it cannot be.
pub fn insert_template(text: &str, template: &Template) -> Result<String, String> {
    let mut lines: Vec<String> = if text.trim().is_empty() {
        vec!["#cloud-config".to_owned()]
    } else {
        text.lines().map(str::to_owned).collect()
    };
    let header = lines.first().map(|l| l.trim_end()).unwrap_or_default();
    if header.starts_with("#!") {
        return Err(
            "Templates are #cloud-config; this is a shell script. Clear the editor to start \
             from a template."
                .into(),
        );
    }
    if header != "#cloud-config" {
        return Err("Start the first line with #cloud-config to use templates.".into());
    }
    for section in template.sections {
        match *section {
            Section::Scalar(key, value) => {
                if find_key(&lines, key).is_none() {
                    append_key(&mut lines, format!("{key}: {value}"));
                }
            }
            Section::List(key, items) => merge_list(&mut lines, key, items)?,
        }
    }
    let mut merged = lines.join("\n");
    merged.push('\n');
    Ok(merged)
}

/// The line where top-level `key:` starts.
fn find_key(lines: &[String], key: &str) -> Option<usize> {
    lines.iter().position(|line| {
        line.strip_prefix(key)
            .is_some_and(|rest| rest.starts_with(':'))
    })
}

fn append_key(lines: &mut Vec<String>, first_line: String) {
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines.push(first_line);
}

/// The lines of one item, `- ` at `indent` spaces.
fn item_lines(item: &str, indent: usize) -> Vec<String> {
    let pad = " ".repeat(indent);
    item.lines()
        .enumerate()
        .map(|(n, line)| {
            if n == 0 {
                format!("{pad}- {line}")
            } else {
                format!("{pad}{line}")
            }
        })
        .collect()
}

fn merge_list(lines: &mut Vec<String>, key: &str, items: &[&str]) -> Result<(), String> {
    let Some(at) = find_key(lines, key) else {
        append_key(lines, format!("{key}:"));
        for item in items {
            lines.extend(item_lines(item, 2));
        }
        return Ok(());
    };
    let inline = lines
        .get(at)
        .and_then(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .map(|rest| rest.trim().to_owned())
        .unwrap_or_default();
    if !inline.is_empty() && !inline.starts_with('#') {
        return merge_flow_list(lines, at, key, &inline, items);
    }
    // The key's block: every following line that is indented, a list item
    // at column 0, a comment or blank; new items go after its last content.
    let mut last_content = at;
    let mut indent = None;
    for (n, line) in lines.iter().enumerate().skip(at + 1) {
        let trimmed = line.trim_start();
        let in_block = trimmed.is_empty()
            || trimmed.starts_with('#')
            || line.starts_with(' ')
            || line.starts_with('-');
        if !in_block {
            break;
        }
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            last_content = n;
            if indent.is_none() && trimmed.starts_with('-') {
                indent = Some(line.len() - trimmed.len());
            }
        }
    }
    let indent = indent.unwrap_or(2);
    let existing: Vec<String> = lines
        .get(at + 1..=last_content)
        .unwrap_or_default()
        .iter()
        .map(|l| l.trim().to_owned())
        .collect();
    let new: Vec<String> = items
        .iter()
        .filter(|item| !existing.contains(&format!("- {}", item.lines().next().unwrap_or(""))))
        .flat_map(|item| item_lines(item, indent))
        .collect();
    let tail = lines.split_off(last_content + 1);
    lines.extend(new);
    lines.extend(tail);
    Ok(())
}

/// `key: [a, b]` gets the new items inside its brackets, when the list is
/// simple enough to edit safely.
fn merge_flow_list(
    lines: &mut [String],
    at: usize,
    key: &str,
    inline: &str,
    items: &[&str],
) -> Result<(), String> {
    let body = inline
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'));
    let simple = body.is_some_and(|body| !body.contains(['[', ']', '{', '}', '"', '\'', '#']));
    let multi_line_items = items.iter().any(|i| i.contains('\n'));
    if !simple || multi_line_items {
        return Err(format!(
            "“{key}” is written on one line; write it as a list (one “- item” per line) to \
             insert a template."
        ));
    }
    let mut values: Vec<String> = body
        .unwrap_or_default()
        .split(',')
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect();
    for item in items {
        if !values.iter().any(|v| v == item) {
            values.push((*item).to_owned());
        }
    }
    if let Some(line) = lines.get_mut(at) {
        *line = format!("{key}: [{}]", values.join(", "));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud_init::check_cloud_init;

    fn assert_clean(text: &str) {
        let report = check_cloud_init(text);
        assert!(
            report.diagnostics.is_empty(),
            "{text}\n{:?}",
            report.diagnostics
        );
    }

    fn insert(text: &str, name: &str) -> String {
        insert_template(text, template(name).unwrap()).unwrap()
    }

    #[test]
    fn every_template_makes_a_clean_document() {
        for t in TEMPLATES {
            let text = insert_template("", t).unwrap();
            assert!(text.starts_with("#cloud-config\n"));
            assert_clean(&text);
        }
    }

    #[test]
    fn all_templates_together_merge_cleanly() {
        let mut text = String::new();
        for t in TEMPLATES {
            text = insert_template(&text, t).unwrap();
            assert_clean(&text);
        }
        // One packages list, one runcmd list, one write_files list.
        for key in ["packages:", "runcmd:", "write_files:", "package_update:"] {
            assert_eq!(
                text.matches(&format!("\n{key}")).count(),
                1,
                "{key} in\n{text}"
            );
        }
        assert!(text.contains("  - docker.io\n"));
        assert!(text.contains("  - [bash, /opt/setup.sh]\n"));
        // Inserting again adds nothing.
        let again = insert(&text, "Docker");
        assert_eq!(again, text);
    }

    #[test]
    fn items_join_an_existing_list_at_its_indent() {
        let text = "#cloud-config\npackages:\n- vim\n\nruncmd:\n  - echo hi\n";
        let merged = insert(text, "Install packages");
        assert_eq!(
            merged,
            "#cloud-config\npackages:\n- vim\n- htop\n- tmux\n- git\n\nruncmd:\n  - echo hi\npackage_update: true\n"
        );
        assert_clean(&merged);
    }

    #[test]
    fn a_set_scalar_is_left_alone() {
        let text = "#cloud-config\npackage_update: false\n";
        let merged = insert(text, "Install packages");
        assert!(merged.contains("package_update: false"));
        assert!(!merged.contains("package_update: true"));
        assert_clean(&merged);
    }

    #[test]
    fn simple_flow_lists_grow_in_place() {
        let merged = insert("#cloud-config\npackages: [vim, htop]\n", "Install packages");
        assert!(
            merged.contains("packages: [vim, htop, tmux, git]"),
            "{merged}"
        );
        assert_clean(&merged);
        let refused = insert_template(
            "#cloud-config\nwrite_files: []\n",
            template("Write files").unwrap(),
        );
        assert!(refused.unwrap_err().contains("one line"));
    }

    #[test]
    fn scripts_and_headerless_text_are_refused() {
        let script = insert_template("#!/bin/bash\necho hi\n", &TEMPLATES[0]);
        assert!(script.unwrap_err().contains("shell script"));
        let bare = insert_template("packages: [a]\n", &TEMPLATES[0]);
        assert!(bare.unwrap_err().contains("#cloud-config"));
    }

    #[test]
    fn comments_and_trailing_blank_lines_are_kept() {
        let text = "#cloud-config\n# my notes\nruncmd:\n  - echo one   # first\n\n\n";
        let merged = insert(text, "Docker");
        assert!(merged.contains("# my notes"));
        assert!(merged.contains("  - echo one   # first\n  - [systemctl, enable, --now, docker]"));
        assert_clean(&merged);
    }
}
