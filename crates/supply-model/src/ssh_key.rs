//! OpenSSH public keys as pasted into a form or found in instance
//! metadata: checked before anything is sent, and fingerprinted the way
//! `ssh-keygen -lf` prints them.

use base64::Engine as _;
use sha2::Digest as _;

/// The key types the console accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    Ed25519,
    EcdsaP256,
    EcdsaP384,
    EcdsaP521,
    Rsa,
    SkEd25519,
    SkEcdsaP256,
}

impl KeyType {
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "ssh-ed25519" => Self::Ed25519,
            "ecdsa-sha2-nistp256" => Self::EcdsaP256,
            "ecdsa-sha2-nistp384" => Self::EcdsaP384,
            "ecdsa-sha2-nistp521" => Self::EcdsaP521,
            "ssh-rsa" => Self::Rsa,
            "sk-ssh-ed25519@openssh.com" => Self::SkEd25519,
            "sk-ecdsa-sha2-nistp256@openssh.com" => Self::SkEcdsaP256,
            _ => return None,
        })
    }

    /// The label `ssh-keygen -l` prints in parentheses.
    pub fn label(self) -> &'static str {
        match self {
            Self::Ed25519 => "ED25519",
            Self::EcdsaP256 | Self::EcdsaP384 | Self::EcdsaP521 => "ECDSA",
            Self::Rsa => "RSA",
            Self::SkEd25519 => "ED25519-SK",
            Self::SkEcdsaP256 => "ECDSA-SK",
        }
    }
}

/// A checked public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    pub key_type: KeyType,
    pub bits: u32,
    /// `SHA256:` and the unpadded base64 of the key blob's SHA-256.
    pub fingerprint: String,
    pub comment: Option<String>,
}

impl PublicKey {
    /// Exactly what `ssh-keygen -lf key.pub` prints.
    pub fn keygen_line(&self) -> String {
        format!(
            "{} {} {} ({})",
            self.bits,
            self.fingerprint,
            self.comment.as_deref().unwrap_or("no comment"),
            self.key_type.label()
        )
    }
}

/// Why a key was refused, in words for the person who pasted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    Empty,
    PrivateKey,
    SeveralKeys,
    UnknownType(String),
    MissingKeyData,
    NotBase64,
    Truncated,
    TypeMismatch { declared: String, inside: String },
    RsaTooShort(u32),
}

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Empty => f.write_str("Paste an SSH public key, or load a .pub file."),
            Self::PrivateKey => f.write_str(
                "This is a private key. Never share it: paste the matching .pub file instead.",
            ),
            Self::SeveralKeys => f.write_str("Paste one key; this text holds several lines."),
            Self::UnknownType(name) => write!(
                f,
                "“{name}” is not a supported key type. Use ssh-ed25519, ecdsa-sha2-nistp256/384/521, \
                 ssh-rsa (2048 bits or more) or a security-key (sk-) variant."
            ),
            Self::MissingKeyData => {
                f.write_str("The key type must be followed by the key data (AAAA…).")
            }
            Self::NotBase64 => f.write_str("The key data is not valid base64; was it cut or wrapped?"),
            Self::Truncated => f.write_str("The key data ends too early; the key looks cut off."),
            Self::TypeMismatch { declared, inside } => write!(
                f,
                "The key says “{declared}” but its data holds a “{inside}” key."
            ),
            Self::RsaTooShort(bits) => write!(
                f,
                "This RSA key has {bits} bits; at least 2048 are required. Generate a new one with \
                 ssh-keygen -t ed25519."
            ),
        }
    }
}

/// Reads the SSH wire format: u32 big-endian lengths before each field.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn field(&mut self) -> Result<&'a [u8], KeyError> {
        let (len, rest) = self.0.split_at_checked(4).ok_or(KeyError::Truncated)?;
        let len = u32::from_be_bytes(len.try_into().map_err(|_| KeyError::Truncated)?);
        let (field, rest) = rest
            .split_at_checked(usize::try_from(len).map_err(|_| KeyError::Truncated)?)
            .ok_or(KeyError::Truncated)?;
        self.0 = rest;
        Ok(field)
    }
}

/// Checks one `type base64 [comment]` line.
pub fn parse_public_key(text: &str) -> Result<PublicKey, KeyError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(KeyError::Empty);
    }
    if text.contains("PRIVATE KEY") {
        return Err(KeyError::PrivateKey);
    }
    if text.lines().filter(|line| !line.trim().is_empty()).count() > 1 {
        return Err(KeyError::SeveralKeys);
    }
    let mut parts = text.split_whitespace();
    let declared = parts.next().ok_or(KeyError::Empty)?;
    let key_type =
        KeyType::from_name(declared).ok_or_else(|| KeyError::UnknownType(declared.to_owned()))?;
    let data = parts.next().ok_or(KeyError::MissingKeyData)?;
    let comment = parts.collect::<Vec<_>>().join(" ");
    let blob = base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|_| KeyError::NotBase64)?;

    let mut reader = Reader(&blob);
    let inside = reader.field()?;
    if inside != declared.as_bytes() {
        return Err(KeyError::TypeMismatch {
            declared: declared.to_owned(),
            inside: String::from_utf8_lossy(inside).into_owned(),
        });
    }
    let bits = match key_type {
        KeyType::Ed25519 | KeyType::SkEd25519 => {
            if reader.field()?.len() != 32 {
                return Err(KeyError::Truncated);
            }
            256
        }
        KeyType::EcdsaP256 | KeyType::EcdsaP384 | KeyType::EcdsaP521 | KeyType::SkEcdsaP256 => {
            let _curve = reader.field()?;
            let _point = reader.field()?;
            match key_type {
                KeyType::EcdsaP384 => 384,
                KeyType::EcdsaP521 => 521,
                _ => 256,
            }
        }
        KeyType::Rsa => {
            let _exponent = reader.field()?;
            let bits = mpint_bits(reader.field()?);
            if bits < 2048 {
                return Err(KeyError::RsaTooShort(bits));
            }
            bits
        }
    };
    if matches!(key_type, KeyType::SkEd25519 | KeyType::SkEcdsaP256) {
        let _application = reader.field()?;
    }
    Ok(PublicKey {
        key_type,
        bits,
        fingerprint: fingerprint(&blob),
        comment: (!comment.is_empty()).then_some(comment),
    })
}

/// Bit length of an unsigned big-endian multiple-precision integer.
fn mpint_bits(bytes: &[u8]) -> u32 {
    let significant: &[u8] = match bytes.iter().position(|&b| b != 0) {
        Some(first) => bytes.get(first..).unwrap_or_default(),
        None => &[],
    };
    match significant.first() {
        Some(&top) => {
            let bytes = u32::try_from(significant.len()).unwrap_or(u32::MAX / 8);
            bytes * 8 - top.leading_zeros()
        }
        None => 0,
    }
}

/// `SHA256:` and the unpadded base64 of the blob's SHA-256, as OpenSSH prints.
pub fn fingerprint(blob: &[u8]) -> String {
    let digest = sha2::Sha256::digest(blob);
    format!(
        "SHA256:{}",
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(digest)
    )
}

/// One `user:key` line of k0rdent's `ssh-keys` metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizedKey {
    pub user: String,
    pub key: Result<PublicKey, KeyError>,
}

/// Parses `user:ssh-ed25519 AAAA… comment` lines; blank lines are skipped.
pub fn parse_ssh_keys_metadata(value: &str) -> Vec<AuthorizedKey> {
    value
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| match line.split_once(':') {
            Some((user, key)) if !user.contains(' ') => AuthorizedKey {
                user: user.to_owned(),
                key: parse_public_key(key),
            },
            _ => AuthorizedKey {
                user: String::new(),
                key: parse_public_key(line),
            },
        })
        .collect()
}
