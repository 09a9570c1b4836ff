//! Deleting several resources at once, from the list or from an order:
//! one confirmation naming each and the total $/h that stops, the
//! requests in parallel, and each row's outcome. A row whose answer was
//! lost is read before it is ever sent again.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use supply_model::deletion::{
    after_failed_delete, bulk_phrase, confirms_bulk, display_name, hourly_that_stops,
    AfterFailedDelete, Lifecycle,
};
use supply_model::pricing::format_usd;
use supply_model::text::or_dash;
use supply_model::ResourceSummary;

use crate::api::supply;
use crate::components::modal::Modal;
use crate::state::session::{use_session, Session};

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Waiting,
    Sending,
    Started(String),
    AlreadyDeleted,
    /// The answer was lost: reading the resource.
    Checking,
    /// The answer was lost and the read failed too: Retry reads again.
    Unknown,
    Failed(String),
}

impl Outcome {
    fn text(&self) -> String {
        match self {
            Self::Waiting => "Not sent".into(),
            Self::Sending => "Deleting…".into(),
            Self::Started(status) => format!("Deletion started ({status})"),
            Self::AlreadyDeleted => "Already deleted (409)".into(),
            Self::Checking => "Answer lost: checking…".into(),
            Self::Unknown => "Answer lost, and it could not be read: Retry checks first".into(),
            Self::Failed(why) => format!("Failed: {why}"),
        }
    }

    fn retryable(&self) -> bool {
        matches!(self, Self::Waiting | Self::Failed(_) | Self::Unknown)
    }

    fn busy(&self) -> bool {
        matches!(self, Self::Sending | Self::Checking)
    }
}

/// The checkbox that ticks one resource for a bulk delete; a resource
/// already being deleted cannot be ticked.
#[component]
pub(crate) fn PickBox(
    resource_id: String,
    /// Names the resource, for the checkbox's label.
    name: String,
    ending: bool,
    picked: RwSignal<BTreeSet<String>>,
) -> impl IntoView {
    let id = StoredValue::new(resource_id);
    view! {
        <input
            type="checkbox"
            aria-label=format!("Select {name}")
            disabled=ending
            prop:checked=move || id.with_value(|id| picked.with(|p| p.contains(id)))
            on:change=move |ev| {
                let on = event_target_checked(&ev);
                let id = id.get_value();
                picked.update(|p| {
                    if on {
                        p.insert(id);
                    } else {
                        p.remove(&id);
                    }
                });
            }
        />
    }
}

/// A "Delete selected" button and its confirmation, for `picked`.
#[component]
pub(crate) fn BulkDelete(
    #[prop(into)] picked: Signal<Vec<ResourceSummary>>,
    /// After the dialog closes, if anything was sent: reload the list.
    #[prop(into)]
    on_done: Callback<()>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let sent = RwSignal::new(false);
    // Closing after sending reloads the list.
    Effect::new(move |was_open: Option<bool>| {
        let now_open = open.get();
        if was_open == Some(true) && !now_open && sent.get_untracked() {
            sent.set(false);
            on_done.run(());
        }
        now_open
    });
    let count = move || picked.with(Vec::len);
    // Requests belong to the page, not the dialog: closing it mid-way
    // must not abort deletes already sent.
    let owner = StoredValue::new(Owner::current());
    view! {
        <button
            type="button"
            class="danger"
            disabled=move || count() == 0
            on:click=move |_| open.set(true)
        >
            {move || format!("Delete selected ({})…", count())}
        </button>
        <Modal open labelled_by="bulk-delete-title">
            <BulkForm rows=picked.get_untracked() open sent page_owner=owner />
        </Modal>
    }
}

#[component]
fn BulkForm(
    rows: Vec<ResourceSummary>,
    open: RwSignal<bool>,
    sent: RwSignal<bool>,
    page_owner: StoredValue<Option<Owner>>,
) -> impl IntoView {
    let session = use_session();
    let owner = page_owner;
    let count = rows.len();
    let stops = hourly_that_stops(&rows.iter().collect::<Vec<_>>());
    let rows = StoredValue::new(rows);
    let outcomes = RwSignal::new(vec![Outcome::Waiting; count]);
    let typed = RwSignal::new(String::new());
    let started = RwSignal::new(false);
    let any_busy = move || outcomes.with(|o| o.iter().any(Outcome::busy));
    let retryable = move || outcomes.with(|o| o.iter().filter(|o| o.retryable()).count());

    let set = move |at: usize, outcome: Outcome| {
        outcomes.try_update(|o| {
            if let Some(slot) = o.get_mut(at) {
                *slot = outcome;
            }
        });
    };
    let run = move || {
        // Nothing twice: only rows not under way and not done are sent.
        if any_busy() {
            return;
        }
        started.set(true);
        sent.set(true);
        let todo: Vec<(usize, String, bool)> = rows.with_value(|rows| {
            outcomes.with_untracked(|o| {
                rows.iter()
                    .zip(o)
                    .enumerate()
                    .filter(|(_, (_, outcome))| outcome.retryable())
                    .map(|(at, (r, outcome))| {
                        (at, r.resource_id.clone(), *outcome == Outcome::Unknown)
                    })
                    .collect()
            })
        });
        for (at, id, check_only) in todo {
            if check_only {
                check(session, owner, at, id, set);
                continue;
            }
            let Some(request) = owner.with_value(|owner| {
                owner
                    .as_ref()
                    .map(|owner| owner.with(|| supply::delete_resource(session, &id, false)))
            }) else {
                continue;
            };
            set(at, Outcome::Sending);
            spawn_local(async move {
                match request.await {
                    Ok(answer) => set(at, Outcome::Started(answer.status)),
                    Err(failure) => match after_failed_delete(&failure) {
                        AfterFailedDelete::AlreadyDeleted => set(at, Outcome::AlreadyDeleted),
                        AfterFailedDelete::Unconfirmed => check(session, owner, at, id, set),
                        AfterFailedDelete::Failed => set(at, Outcome::Failed(failure.title())),
                    },
                }
            });
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if confirms_bulk(count, &typed.get_untracked()) {
            run();
        }
    };
    let table_rows = move || {
        rows.with_value(|rows| {
            rows.iter()
                .enumerate()
                .map(|(at, r)| {
                    let name = display_name(r).map_or_else(|| r.resource_id.clone(), str::to_owned);
                    let price = or_dash(
                        r.pricing_total_hourly
                            .map(|p| format!("{}/h", format_usd(p))),
                    );
                    let outcome =
                        move || outcomes.with(|o| o.get(at).map(Outcome::text).unwrap_or_default());
                    let failed = move || {
                        outcomes.with(|o| {
                            matches!(o.get(at), Some(Outcome::Failed(_) | Outcome::Unknown))
                        })
                    };
                    view! {
                        <tr class:failed=failed>
                            <td>{name}</td>
                            <td>{r.resource_type.clone()}</td>
                            <td class="num">{price}</td>
                            <td class="outcome">{outcome}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let summary = move || {
        outcomes.with(|o| {
            let done = o
                .iter()
                .filter(|o| matches!(o, Outcome::Started(_) | Outcome::AlreadyDeleted))
                .count();
            let failed = o
                .iter()
                .filter(|o| matches!(o, Outcome::Failed(_) | Outcome::Unknown))
                .count();
            let busy = o.iter().filter(|o| o.busy()).count();
            format!("{done} of {count} deleting or deleted · {failed} failed · {busy} under way")
        })
    };
    let noun = if count == 1 { "resource" } else { "resources" };
    let label = move || {
        if any_busy() {
            "Deleting…".to_owned()
        } else if started.get() {
            format!("Retry the {} that failed", retryable())
        } else {
            format!("Delete {count} {noun}")
        }
    };
    let phrase = bulk_phrase(count);
    view! {
        <form class="modal__body delete-form" on:submit=submit novalidate=true>
            <h2 id="bulk-delete-title">{format!("Delete {count} {noun}?")}</h2>
            <p>"Each is terminated on its vendor. This cannot be undone. Persistent volumes linked to a machine are kept unless they are listed here."</p>
            <div class="table-wrap">
                <table aria-label="Resources to delete">
                    <thead><tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col" class="num">"$/hour"</th>
                        <th scope="col">"Outcome"</th>
                    </tr></thead>
                    <tbody>{table_rows}</tbody>
                    <tfoot><tr>
                        <th scope="row" colspan="2">"Stops"</th>
                        <td class="num bulk-stops">{format!("{}/h", format_usd(stops))}</td>
                        <td></td>
                    </tr></tfoot>
                </table>
            </div>
            <p class="summary" role="status">{move || started.get().then(summary)}</p>
            <label for="bulk-delete-confirm">"To confirm, type " <code>{phrase}</code></label>
            <input
                id="bulk-delete-confirm"
                type="text"
                autocomplete="off"
                spellcheck="false"
                prop:value=typed
                on:input=move |ev| typed.set(event_target_value(&ev))
            />
            <div class="buttons">
                <button
                    type="submit"
                    class="danger"
                    disabled=move || any_busy() || retryable() == 0 || !confirms_bulk(count, &typed.get())
                >
                    {label}
                </button>
                <button type="button" on:click=move |_| open.set(false)>
                    {move || if started.get() { "Close" } else { "Cancel" }}
                </button>
            </div>
        </form>
    }
}

/// After a lost answer: reads the resource to learn whether its delete
/// went through.
fn check(
    session: Session,
    owner: StoredValue<Option<Owner>>,
    at: usize,
    id: String,
    set: impl Fn(usize, Outcome) + Copy + 'static,
) {
    let Some(request) = owner.with_value(|owner| {
        owner
            .as_ref()
            .map(|owner| owner.with(|| supply::fresh_resource(session, &id)))
    }) else {
        return;
    };
    set(at, Outcome::Checking);
    spawn_local(async move {
        match request.await {
            Ok(r) if Lifecycle::of(&r.status).is_ending() => set(at, Outcome::Started(r.status)),
            Ok(r) => set(
                at,
                Outcome::Failed(format!("the connection dropped; it is still {}", r.status)),
            ),
            Err(_) => set(at, Outcome::Unknown),
        }
    });
}
