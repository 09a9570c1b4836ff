//! Cloud-init checks: header, size, YAML syntax and unknown keys.

use supply_model::cloud_init::{
    check_cloud_config, check_cloud_init, check_cloud_init_with, edit_distance, nearest_key,
    ScriptKind, Severity, MAX_CLOUD_INIT_BYTES,
};

#[test]
fn the_published_example_is_clean() {
    let script =
        "#cloud-config\npackages:\n  - htop\n  - jq\nruncmd:\n  - echo 'Ready' > /tmp/ready.txt";
    let report = check_cloud_init(script);
    assert_eq!(report.kind, Some(ScriptKind::CloudConfig));
    assert_eq!(report.diagnostics, vec![]);
    assert!(!report.blocks_submit());
}

#[test]
fn scripts_and_empty_input_are_accepted() {
    let shell = check_cloud_init("#!/bin/bash\nnvidia-smi\n");
    assert_eq!(shell.kind, Some(ScriptKind::Shell));
    assert!(!shell.blocks_submit());
    assert!(!check_cloud_init("  \n").blocks_submit());
}

#[test]
fn a_wrong_header_blocks_submitting() {
    for text in [
        "packages: [htop]",
        "# cloud-config\na: 1",
        "#!bash\necho",
        "\n#cloud-config",
    ] {
        let report = check_cloud_init(text);
        assert!(report.blocks_submit(), "{text:?}");
        assert_eq!(report.diagnostics[0].line, 1);
    }
}

#[test]
fn yaml_errors_carry_line_and_column() {
    let report = check_cloud_init("#cloud-config\npackages:\n  - htop\n runcmd: [\n");
    let error = report
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
        .expect("a syntax error");
    assert!(error.line >= 4, "{error:?}");
    assert!(error.column >= 1);
    assert!(error.message.starts_with("YAML error"), "{}", error.message);

    let tabs = check_cloud_init("#cloud-config\nruncmd:\n\t- ls\n");
    assert!(tabs.blocks_submit(), "tabs are not YAML indentation");
}

#[test]
fn unknown_keys_warn_with_the_nearest_known_key() {
    let report = check_cloud_init(
        "#cloud-config\npackges:\n  - htop\nwrite_files:\n  - path: /etc/x\n    content: hi\nzzz_custom: 1\n",
    );
    assert!(!report.blocks_submit(), "unknown keys are warnings");
    let messages: Vec<(usize, usize, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.line, d.column, d.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (
                2,
                1,
                "Unknown top-level key “packges”. Did you mean “packages”?"
            ),
            (7, 1, "Unknown top-level key “zzz_custom”."),
        ]
    );
    // Nested keys (path, content) are not top-level and not checked.
}

#[test]
fn a_document_that_is_not_a_mapping_is_refused() {
    assert!(check_cloud_init("#cloud-config\n- htop\n- jq\n").blocks_submit());
    assert!(check_cloud_init("#cloud-config\njust text\n").blocks_submit());
    assert!(
        !check_cloud_init("#cloud-config\n").blocks_submit(),
        "an empty config is fine"
    );
}

#[test]
fn the_size_limit_is_64_kib_of_utf8() {
    let header = "#!/bin/sh\n";
    let fill = |total: usize| format!("{header}{}", "#".repeat(total - header.len()));
    assert!(!check_cloud_init(&fill(MAX_CLOUD_INIT_BYTES)).blocks_submit());
    let over = check_cloud_init(&fill(MAX_CLOUD_INIT_BYTES + 1));
    assert!(over.blocks_submit());
    assert!(
        over.diagnostics[0].message.contains("1 over"),
        "{:?}",
        over.diagnostics
    );
    // Multi-byte characters count as their UTF-8 bytes.
    let emoji = format!("{header}{}", "🚀".repeat(16_384));
    assert_eq!(check_cloud_init(&emoji).bytes, header.len() + 65_536);
    assert!(check_cloud_init(&emoji).blocks_submit());
}

#[test]
fn nearest_keys_are_only_close_ones() {
    assert_eq!(nearest_key("packges"), Some("packages"));
    assert_eq!(nearest_key("runcmdd"), Some("runcmd"));
    assert_eq!(nearest_key("write_file"), Some("write_files"));
    assert_eq!(nearest_key("elephant"), None);
    assert_eq!(edit_distance("kitten", "sitting"), 3);
    assert_eq!(edit_distance("", "abc"), 3);
}

#[test]
fn without_a_yaml_checker_a_cloud_config_is_reported_unchecked() {
    let bad = "#cloud-config\npackages:\n  - htop\n runcmd: [\n";
    let unchecked = check_cloud_init_with(bad, None);
    assert!(unchecked.yaml_unchecked);
    assert_eq!(unchecked.kind, Some(ScriptKind::CloudConfig));
    assert!(unchecked.diagnostics.is_empty());
    // What needs no parser is still checked: the header, the size.
    assert!(check_cloud_init_with("echo hi\n", None).blocks_submit());
    assert!(!check_cloud_init_with("#!/bin/sh\nls\n", None).yaml_unchecked);
    // With the checker it is the whole check.
    let checked = check_cloud_init_with(bad, Some(check_cloud_config));
    assert_eq!(checked, check_cloud_init(bad));
    assert!(checked.blocks_submit() && !checked.yaml_unchecked);
}
