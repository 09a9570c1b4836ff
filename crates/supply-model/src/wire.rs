//! Building blocks for tolerant decoding: the real service may add fields,
//! send `null` where a list is expected, or grow an enum. None of that may
//! turn into a decode failure, and nothing it sent may be lost.

use serde::{Deserialize, Deserializer, Serialize};

/// Fields the console does not know, kept so a raw view can show them and a
/// round trip gives back what came.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// Decodes `null` (or an absent field, with `#[serde(default)]`) as the
/// type's default, e.g. an empty list.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A timestamp as the API sent it. Kept raw so an unexpected format is shown
/// rather than refused; [`ApiTime::parsed`] gives the instant when it can.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ApiTime(pub String);

impl ApiTime {
    pub fn parsed(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        crate::time::parse_timestamp(&self.0)
    }

    pub fn from_datetime(at: chrono::DateTime<chrono::Utc>) -> Self {
        Self(crate::time::format_rfc3339(at, false))
    }
}

impl std::fmt::Display for ApiTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Declares a string enum that keeps values it does not know as
/// `Other(raw)`, so a new server-side state is shown as it came.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $wire:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this console does not know, kept as sent.
            Other(String),
        }

        impl $name {
            /// Every value this console knows, in declaration order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Other(raw) => raw,
                }
            }

            pub fn from_wire(raw: &str) -> Self {
                match raw {
                    $($wire => Self::$variant,)*
                    other => Self::Other(other.to_owned()),
                }
            }

            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(deserializer)?;
                Ok(Self::from_wire(&raw))
            }
        }
    };
}
pub(crate) use open_enum;
