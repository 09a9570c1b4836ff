//! SSH public keys: checked as ssh-keygen would, fingerprinted as
//! `ssh-keygen -lf` prints them. The expected lines were printed by
//! ssh-keygen for keys it generated.

use supply_model::ssh_key::{parse_public_key, parse_ssh_keys_metadata, KeyError, KeyType};

const KEYGEN: &[(&str, &str)] = &[
    (
        "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBDf4YbtLV2pVQpgCkc6ajZHtVbJAt8wXVCdjujXYPMeegFOjPJcI+LBDDrM1cZvEboYEB4CnC4kbOdC5qtIAe+8= user@k_ecdsab256",
        "256 SHA256:hYcufmJiL1NPkWXyhmQmy1eSzMg/4OS1QBFi6V+RxcI user@k_ecdsab256 (ECDSA)",
    ),
    (
        "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBNiRxVscs2bvTUeA0gLljwXHt/1Uas0ykU+RWsXGT2E/FZ7h3hw8FN5bnBTdDXcFFEkUvy/SqRkV5nSnv4k2clTerE+fXNern6/TLw0nQ3dkWkbFs6xXEbbn5ShVjACGiQ== user@k_ecdsab384",
        "384 SHA256:AxaXIe50QhTBu6j+7b0Sewe66Xyulxi/LMHib3Pr6hM user@k_ecdsab384 (ECDSA)",
    ),
    (
        "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBABwaZ0AzFY6ILZkU+Qpv+s7fHaRIZgp1akamTU+WiOAHJ/qInEd6jBAcCDhgquaBaLifyr3mcCF98uUrOVsV9cggQFIBr3Mi85LeNeSXyscgv+plEDKEcXbHpKTt7bH3f9uIlXFc2cnyRJE1fP4dJOJkuxMsyPmWn7xU1ble10ZVjFlwA== user@k_ecdsab521",
        "521 SHA256:6u8A/3/QTYvZVRzb6H/fE/5ivyj2xVFg9uuc+vTjINM user@k_ecdsab521 (ECDSA)",
    ),
    (
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICo9uBeqxh3DMFA1oUxUvi24cBWWg9iSh6/XXb+UPRNC user@k_ed25519",
        "256 SHA256:rt0wxKxtPmoOQF8jTrppU9CqLd0DztFoDBD0WILa1rI user@k_ed25519 (ED25519)",
    ),
    (
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCtScHHsWdGX6nkEsl9IliEI6fxfWz9YapMWizIC3wgphauj/3qfGFW2xz06v0ALQ5fvwnvKGQ0szPit9ieCCTe6EYtJArX7D4JikYWw/V04A3YF8p1YG2WNswW9HzqkBI4AABWccf3OBOxMd9bKIt1O3LR9GFnVgWdmizh/g6yFDma2i8H7gcHAB7eApWW3/mPnXzMkJjxdSBTKA7QLdruxKHgr3lAIW61F39cTCHlX5xiP1wbJNWX8vXQVvVFdIXtOtUbPOtUgHU25yjDIn9mdYlOxPQS9Xu2gIj0vj9XMhByuq4ac0dbqNVX1gKaCgqK+xJqREu9SGYID7J0saOJ user@k_rsab2048",
        "2048 SHA256:IQmhFv8PVZa7aLjgcv99obJq+lLukIltJ82SjTLqdIA user@k_rsab2048 (RSA)",
    ),
    (
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDSC3FFDDC7V29iL5nNyny/AY+is1K8zNCp75MfFjJWjkZqa8SJpfifquoz9Lxm5bkRRefkz2K+5KCJQBOopK+7/fX08Ls60jmQKOxESf9lDom1Tcvx12Ejsdm3zvs2WRrXAT5E84VTnK1Rz18i0tRDZAusFnGPchEtOnYBe5u77FiLz7nWoufQl9oOdjtILlb9vAMSSX6c/hvwhLXfh6XuMe7lXa2LQdtqWevFEK4l4z0MZGohFKpm+/A+e//Dnh3rosKZCkGZoOlbI+kvN+HbHPyOqOLad55rvE9wGQKxYmT2Qy+hO4YhjTNeqE4+5x9ZXEf0BHhXxPjrCOtU987VSoAiyD1uHLtSpI5wtQr/2BzIGY0tFdAVwUOdhgbv+4IRXElIij1GMvOrKklDDC7W/xLCfvWW+PTuauX1fHbv2lrqLOQZ9jjXTszplcNRuhFtF5w+iHXP4hOP9zhN/ewRlnyRTZfekLzNZmqGcatYTT16fPj3N1f3F97CxVUdAKM= user@k_rsab3072",
        "3072 SHA256:drzpt84ygficJrzIQ+gMPIvUB8f438jRnErYqLjr2wE user@k_rsab3072 (RSA)",
    ),
    (
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeaD1heScpzmiypsUSb0T3lkmg2d/onGkPviaZ2Rtgc admin@hostname",
        "256 SHA256:t/3uXmYqZ1iXVj3/6PgiQzryTWjctbujPJyY6v7gi4A admin@hostname (ED25519)",
    ),
    (
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeaD1heScpzmiypsUSb0T3lkmg2d/onGkPviaZ2Rtgc",
        "256 SHA256:t/3uXmYqZ1iXVj3/6PgiQzryTWjctbujPJyY6v7gi4A no comment (ED25519)",
    ),
];

#[test]
fn fingerprints_match_ssh_keygen() {
    for (key, expected) in KEYGEN {
        let parsed = parse_public_key(key).unwrap_or_else(|err| panic!("{key}: {err}"));
        assert_eq!(&parsed.keygen_line(), expected);
    }
}

#[test]
fn security_key_variants_are_accepted() {
    // A sk-ssh-ed25519 blob: type, 32 key bytes, application "ssh:".
    let key = "sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29tAAAAIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4fAAAABHNzaDo= me@yubikey";
    let parsed = parse_public_key(key).unwrap();
    assert_eq!(parsed.key_type, KeyType::SkEd25519);
    assert_eq!(
        parsed.keygen_line(),
        "256 SHA256:/p0CbeE3dk2SyW1OXXsThGc12ezDVD8eGw2/vtztDfk me@yubikey (ED25519-SK)"
    );
}

#[test]
fn bad_keys_say_what_is_wrong() {
    let cases: &[(&str, KeyError)] = &[
        ("   ", KeyError::Empty),
        ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----", KeyError::PrivateKey),
        ("ssh-dss AAAAB3NzaC1kc3M=", KeyError::UnknownType("ssh-dss".into())),
        ("ssh-ed25519", KeyError::MissingKeyData),
        ("ssh-ed25519 AAAA!!notbase64", KeyError::NotBase64),
        ("ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB", KeyError::Truncated),
        (
            "ssh-ed25519 AAAAB3NzaC1yc2EAAAAgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            KeyError::TypeMismatch { declared: "ssh-ed25519".into(), inside: "ssh-rsa".into() },
        ),
        ("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCtvaSwrgfFEUegiched5OtlnaxNG2YrA7jhDeVr4eqOO/74YzqsphMPYWqvBEUIHURrJj2qgIrUMAa0MUDxY8d2FByCyLBPcaMCKIemDlJr6reG+dAvO/G/QGkLeOTmlc11SwEBhShVgneCMCCvfy8AyIK4jR1BUVtM7oJ8LL1Uw== user@k_rsab1024", KeyError::RsaTooShort(1024)),
    ];
    for (text, expected) in cases {
        assert_eq!(
            parse_public_key(text).as_ref().err(),
            Some(expected),
            "{text}"
        );
        assert!(!expected.to_string().is_empty());
    }
    let two = format!("{}\n{}", KEYGEN[0].0, KEYGEN[1].0);
    assert_eq!(parse_public_key(&two), Err(KeyError::SeveralKeys));
}

#[test]
fn a_cut_key_is_refused() {
    let (key, _) = KEYGEN
        .iter()
        .find(|(_, line)| line.ends_with("(RSA)"))
        .unwrap();
    let cut = key.get(..key.len() / 2).unwrap();
    assert!(parse_public_key(cut).is_err());
}

#[test]
fn k0rdent_ssh_keys_metadata_becomes_rows() {
    let value = "admin:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeaD1heScpzmiypsUSb0T3lkmg2d/onGkPviaZ2Rtgc admin@hostname\nguest:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBYgtXDI3X7eELjQ+D+qbJGqgfa+OqvY7jo/EuLv1ECd guest@hostname\n\nbroken:ssh-rsa nope\n";
    let rows = parse_ssh_keys_metadata(value);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].user, "admin");
    assert_eq!(
        rows[0].key.as_ref().map(|k| k.fingerprint.as_str()),
        Ok("SHA256:t/3uXmYqZ1iXVj3/6PgiQzryTWjctbujPJyY6v7gi4A")
    );
    assert_eq!(rows[1].user, "guest");
    assert!(rows[1].key.is_ok());
    assert_eq!(
        rows[2].key,
        Err(KeyError::Truncated),
        "\"nope\" decodes to 3 bytes"
    );
}
