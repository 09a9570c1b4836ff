//! The offer being ordered: asked of `GET /offers/{offer_id}` (so a shared
//! link works), completed from the listing, and said in words when it can
//! no longer be ordered, with equivalents.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use supply_model::offer_query::OfferQuery;
use supply_model::offer_spec::StorageVolume;
use supply_model::procure_form::equivalent_spec;
use supply_model::procure_view::{
    complete_details, lacks_listing_fields, listing_spec, standing, Standing,
};
use supply_model::routes::Route;
use supply_model::{decode_offer, ApiFailure, Offer};

use crate::api::{supply, use_remote, Remote};
use crate::components::alert::{Alert, AlertAction, AlertMessage};
use crate::components::error_panel::ErrorPanel;
use crate::components::procure::equivalents::EquivalentOffers;
use crate::components::procure::offer_summary::OfferSummary;
use crate::state::clock::use_now;
use crate::state::route::link;
use crate::state::session::use_session;
use crate::state::storage::{self, Area};
use crate::state::yaml_reader;

/// The offer a procurement was for, kept so the status page can link to
/// equivalent offers if provisioning fails.
pub(crate) fn offer_snapshot_key(offer_id: &str) -> String {
    format!("supply.offer.{offer_id}")
}

fn kept_offer(offer_id: &str) -> Option<Offer> {
    storage::read(Area::Session, &offer_snapshot_key(offer_id))
        .and_then(|raw| decode_offer(&raw).ok())
}

/// The storage volumes the last offers search asked for: the offer was
/// listed, and priced, with them. They travel only in a whole spec (YAML),
/// so the parser is fetched for them, and only then.
async fn last_search_storage() -> Vec<StorageVolume> {
    let Some(search) = storage::read(Area::Local, crate::pages::offers::LAST_SEARCH_KEY)
        .filter(|search| OfferQuery::has_whole_spec(search))
    else {
        return Vec::new();
    };
    let read = yaml_reader::load().await.map(|parsers| parsers.offer_spec);
    OfferQuery::from_query_string_with(&search, read)
        .spec
        .storage
}

/// What the console knows of one offer id. The page remounts per id, so
/// nothing here is ever another offer's.
#[derive(Clone, Copy)]
pub(crate) struct OrderedOffer {
    details: Remote<Offer>,
    /// The service's details, completed with what only the listing has.
    pub(crate) offer: Memo<Option<Offer>>,
    /// The service answered 410 to an order: the offer is gone.
    gone: RwSignal<bool>,
    /// Whether it can be ordered, and if not why; `None` until known.
    pub(crate) standing: Memo<Option<Standing>>,
    /// The last offer seen under this id, for equivalents once the service
    /// no longer knows it.
    known: Memo<Option<Offer>>,
}

impl OrderedOffer {
    pub(crate) fn new(offer_id: String) -> Self {
        let session = use_session();
        let now = use_now();
        let details = {
            let id = offer_id.clone();
            use_remote(move || supply::offer(session, &id))
        };
        // The details leave out what only the listing has (vendor region,
        // type, storage, cluster layout): taken from an earlier look at
        // this offer in this browser session, or from `get_offers` asked
        // for its exact shape.
        let listing = RwSignal::new(None::<Offer>);
        let id = offer_id.clone();
        Effect::new(move |_| {
            let Some(found) = details.data.get() else {
                return;
            };
            let have = |o: &Offer| o.offer_id.eq_ignore_ascii_case(&id) && !lacks_listing_fields(o);
            if !lacks_listing_fields(&found)
                || listing.with_untracked(|l| l.as_ref().is_some_and(have))
            {
                return;
            }
            if let Some(kept) = kept_offer(&id).filter(have) {
                listing.set(Some(kept));
                return;
            }
            // Only a live offer is listed.
            if !standing(&found, now.get_untracked(), false).can_order() {
                return;
            }
            let id = id.clone();
            spawn_local(async move {
                let storage = last_search_storage().await;
                // The page may have gone while the parser was fetched.
                let Some(spec) = listing_spec(&found, &storage)
                    .filter(|_| listing.try_with_untracked(|_| ()).is_some())
                else {
                    return;
                };
                if let Ok(answer) = supply::get_offers(session, &spec).await {
                    let item = answer
                        .offers
                        .into_iter()
                        .find(|o| o.offer_id.eq_ignore_ascii_case(&id));
                    if item.is_some() {
                        listing.try_set(item);
                    }
                }
            });
        });
        let offer = Memo::new(move |_| {
            let found = details.data.get()?;
            Some(listing.with(|listed| match listed {
                Some(listed) => complete_details(found.clone(), listed),
                None => found,
            }))
        });
        let known = Memo::new(move |_| offer.get().or_else(|| kept_offer(&offer_id)));
        // Kept for the status page, and for equivalents after a reload.
        Effect::new(move |_| {
            if let Some(found) = offer.get() {
                let raw = serde_json::to_string(&found).unwrap_or_default();
                storage::write(Area::Session, &offer_snapshot_key(&found.offer_id), &raw);
            }
        });
        let gone = RwSignal::new(false);
        let standing = Memo::new(move |_| {
            offer.with(|o| o.as_ref().map(|o| standing(o, now.get(), gone.get())))
        });
        Self {
            details,
            offer,
            gone,
            standing,
            known,
        }
    }

    pub(crate) fn can_order(&self) -> bool {
        self.standing
            .with(|s| s.as_ref().is_some_and(Standing::can_order))
    }

    pub(crate) fn is_cluster(&self) -> bool {
        self.offer
            .with(|o| o.as_ref().is_some_and(Offer::is_cluster))
    }

    /// The answer, or the failure to get one, has come.
    pub(crate) fn is_settled(&self) -> bool {
        !self.details.is_pending()
    }

    /// The service refused the order with 410: ask for its word on the
    /// offer now (expired).
    pub(crate) fn mark_gone(&self) {
        self.gone.set(true);
        self.details.reload();
    }

    /// 404: no such offer, or not one this token may see. 422: the service
    /// did not take the id as one.
    fn not_found(&self) -> Option<u16> {
        self.details
            .error
            .with(|e| e.as_ref().and_then(ApiFailure::status))
            .filter(|status| *status == 404 || *status == 422)
    }
}

/// The offer's summary, or why it cannot be shown or ordered, and the
/// equivalents when they are needed.
#[component]
pub(crate) fn OfferLookup(state: OrderedOffer) -> impl IntoView {
    let lookup_failure = move || {
        state
            .details
            .error
            .get()
            .filter(|_| state.not_found().is_none())
    };
    // A fresh answer for the same offer (its status after a 410) does not
    // ask for equivalents again.
    let equivalents_for = Memo::new_with_compare(
        move |_| {
            let blocked = state
                .standing
                .with(|s| s.as_ref().is_some_and(|s| !s.can_order()));
            let needed = blocked || state.not_found().is_some();
            state.known.get().filter(|_| needed)
        },
        |old, new| {
            let key = |offer: Option<&Option<Offer>>| {
                offer
                    .and_then(Option::as_ref)
                    .map(|o| (o.offer_id.clone(), equivalent_spec(o)))
            };
            key(old) != key(new)
        },
    );
    view! {
        {move || summary_or_absence(state)}
        {move || lookup_failure().map(|failure| view! {
            <ErrorPanel failure on_retry=Callback::new(move |()| state.details.reload()) />
        })}
        {move || state.standing.get().and_then(|standing| view_blocker(standing, state))}
        {move || equivalents_for.get().map(|original| view! { <EquivalentOffers original /> })}
    }
}

fn summary_or_absence(state: OrderedOffer) -> AnyView {
    if let Some(found) = state.offer.get() {
        return view! { <OfferSummary offer=found gone=state.gone /> }.into_any();
    }
    if let Some(status) = state.not_found() {
        let message = if status == 404 {
            "No offer with this ID exists, or it is not visible to this token (404)."
        } else {
            "The service did not accept this as an offer ID (422)."
        };
        return view! {
            <Alert title="This offer was not found">
                <AlertMessage slot>{message}</AlertMessage>
                <AlertAction slot>
                    "Pick an offer on the " <A href=link(&Route::Offers)>"offers page"</A> "."
                </AlertAction>
            </Alert>
        }
        .into_any();
    }
    let looking = move || {
        state
            .details
            .error
            .with(Option::is_none)
            .then_some("Looking up the offer…")
    };
    view! { <p role="status">{looking}</p> }.into_any()
}

/// Why it cannot be ordered, in words: procured, failed, expired, 410.
fn view_blocker(standing: Standing, state: OrderedOffer) -> Option<impl IntoView> {
    let (title, message) = standing.blocker()?;
    let status_link = (standing == Standing::Procured).then(|| {
        let href = state.offer.with_untracked(|o| {
            o.as_ref().map(|o| link(&Route::Status { offer_id: o.offer_id.clone() }))
        });
        view! {
            <p class="error-panel__action">
                "If the order was yours, " <A href=href.unwrap_or_default()>"follow it on its status page"</A> "."
            </p>
        }
    });
    Some(view! {
        <Alert title=title>
            <AlertMessage slot>{message}</AlertMessage>
            <AlertAction slot>"Pick an equivalent offer below: your key, script and names stay in the form."</AlertAction>
            {status_link}
        </Alert>
    })
}
