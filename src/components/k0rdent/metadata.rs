use leptos::either::Either;
use leptos::prelude::*;
use supply_model::k0rdent::MetadataEntry;
use supply_model::k0rdent_view::{metadata_items, MetadataItem};
use supply_model::ssh_key::AuthorizedKey;
use supply_model::text::or_dash;

use super::parts_table::PartsTable;

/// `instanceMetadata`: `ssh-keys` as a row per key (fingerprinted by the
/// same `supply_model::ssh_key` code that checks the procure form's key), the rest as key and
/// value, long values (cloud-init user data) folded. Shown as text only.
#[component]
pub(crate) fn InstanceMetadata(entries: Vec<MetadataEntry>) -> impl IntoView {
    if entries.is_empty() {
        return Either::Left(view! { <p class="muted">"No metadata."</p> });
    }
    let items = metadata_items(&entries)
        .into_iter()
        .map(|item| match item {
            MetadataItem::SshKeys(keys) => Either::Left(view! { <SshKeys keys /> }),
            MetadataItem::Value {
                key,
                value,
                folded,
                lines,
            } => Either::Right(view! { <MetadataValue key value folded lines /> }),
        })
        .collect_view();
    Either::Right(view! { <div class="metadata">{items}</div> })
}

const KEY_COLUMNS: &[(&str, bool)] = &[
    ("User", false),
    ("Key type", false),
    ("Fingerprint", false),
    ("Comment", false),
];

#[component]
fn SshKeys(keys: Vec<AuthorizedKey>) -> impl IntoView {
    let rows = keys
        .into_iter()
        .map(|row| {
            let user = or_dash(Some(row.user));
            let cells = match row.key {
                Ok(key) => Either::Left(view! {
                    <td>{key.key_type.label()}</td>
                    <td><code class="fingerprint">{key.fingerprint}</code></td>
                    <td>{key.comment.unwrap_or_default()}</td>
                }),
                // A line that is no key is shown as such, not dropped.
                Err(why) => Either::Right(view! {
                    <td colspan="3" class="field-error">{why.to_string()}</td>
                }),
            };
            view! { <tr><td>{user}</td>{cells}</tr> }
        })
        .collect_view();
    view! {
        <h3>"SSH keys"</h3>
        <PartsTable label="SSH keys" columns=KEY_COLUMNS>{rows}</PartsTable>
    }
}

#[component]
fn MetadataValue(key: String, value: String, folded: bool, lines: usize) -> impl IntoView {
    if folded {
        let size = if lines > 1 {
            format!("{lines} lines")
        } else {
            format!("{} characters", value.chars().count())
        };
        Either::Left(view! {
            <details class="metadata-value">
                <summary><code>{key}</code> " (" {size} ")"</summary>
                <pre>{value}</pre>
            </details>
        })
    } else {
        Either::Right(view! {
            <p class="metadata-value"><code>{key}</code> ": " <code>{value}</code></p>
        })
    }
}
