/*
 * templates.c - the built-in journey models, embedded in the binary: five-phases (seed 004),
 * touch-tell-sell-care (seed 003) and b2b with accounts and DMU roles (seed 004).
 *
 *     char *yaml;
 *     if (kr_model_template(&yaml, "five-phases", "en") == KR_OK) { fputs(yaml, f); free(yaml); }
 *
 * The text holds both languages as [[nederlands|english]]; kr_model_template keeps one side.
 * Names are written as {nl: ..., en: ...} so a model carries both. Match rules list the event
 * names of common webshop and analytics exports (GA4, Segment/RudderStack e-commerce spec,
 * Shopify, REES46 event_type, Taobao behavior_type), so a user's own export gives a first
 * journey before any editing; tests/unit/model/test_model.c checks each template.
 */
#include <stdlib.h>
#include <string.h>

#include "klantreis/model.h"

/* Shared rule fragments, as YAML flow lists (case, ' ', '-' and '_' do not matter). */
#define EV_AD                                                                                      \
    "[ad_click, ad_view, ad_impression, campaign_click, banner_click, Ad Clicked, "                \
    "Promotion Viewed, Promotion Clicked, select_promotion, view_promotion]"
#define EV_SOCIAL "[social_click, social_view, social_post_view, social_engagement]"
#define EV_PAGE                                                                                    \
    "[page_view, pageview, page, Page Viewed, screen_view, Screen Viewed, "                        \
    "session_start, first_visit, visit, landing]"
#define EV_PRODUCT                                                                                 \
    "[view, pv, product_view, Product Viewed, view_item, viewitem, detail, "                       \
    "product_detail, Product List Viewed, view_item_list, Product Clicked, "                       \
    "select_item, Products Searched, search, site_search, view_search_results]"
#define EV_FAV                                                                                     \
    "[fav, favorite, favourite, wishlist, add_to_wishlist, "                                       \
    "Product Added to Wishlist, save_item]"
#define EV_NEWSLETTER                                                                              \
    "[newsletter_signup, Newsletter Signup, newsletter_subscribe, "                                \
    "email_signup, subscribe, Subscribed]"
#define EV_ACCOUNT                                                                                 \
    "[account_created, Account Created, sign_up, signup, Signed Up, register, "                    \
    "registration, create_account]"
#define EV_EMAIL                                                                                   \
    "[email_open, email_opened, Email Opened, Newsletter Opened, email_click, "                    \
    "Email Link Clicked]"
#define EV_CART                                                                                    \
    "[cart, add_to_cart, addtocart, Product Added, Added to Cart, view_cart, "                     \
    "Cart Viewed]"
#define EV_CHECKOUT                                                                                \
    "[checkout, begin_checkout, checkout_started, Checkout Started, "                              \
    "Checkout Step Viewed, Checkout Step Completed, add_payment_info, "                            \
    "Payment Info Entered, add_shipping_info]"
#define EV_ORDER                                                                                   \
    "[purchase, buy, order, order_completed, Order Completed, Order Placed, "                      \
    "transaction, checkout_completed]"
#define EV_DELIVERY                                                                                \
    "[order_shipped, Order Shipped, shipped, delivered, Order Delivered, "                         \
    "delivery, track_order]"
#define EV_SERVICE                                                                                 \
    "[service_contact, contact, Support Contacted, support_ticket, "                               \
    "Ticket Created, customer_service, complaint, return_request, refund, "                        \
    "Order Refunded, return, chat_started, call]"
#define EV_SURVEY                                                                                  \
    "[survey, Survey Completed, Survey Submitted, Survey Answered, nps, csat, "                    \
    "feedback]"
#define EV_REVIEW                                                                                  \
    "[review, Review Submitted, product_review, Product Reviewed, write_review, "                  \
    "rating]"
#define EV_LOYAL                                                                                   \
    "[loyalty_join, Loyalty Program Joined, referral, Referral Sent, "                             \
    "refer_friend, share, Product Shared, repeat_purchase, reorder]"

/* One YAML line per element: ISO C caps a string literal at 4095 bytes. */
static const char *const five_phases[] = {
    "# [[Klantreis in vijf fasen: bewustwording, overweging, aankoop, service, loyaliteit.|"
    "Customer journey in five phases: awareness, consideration, purchase, service, loyalty.]]\n",
    "# [[Pas de match-regels aan je eigen export aan; 'klantreis check journey.yaml --data "
    "FILE' laat zien welke events nog geen touchpoint hebben.|Adapt the match rules to your "
    "own export; 'klantreis check journey.yaml --data FILE' shows which events match no "
    "touchpoint yet.]]\n",
    "# [[Het formaat staat in docs/journey-model.md.|The format is described in "
    "docs/journey-model.md.]]\n",
    "lang: [[nl|en]]\n",
    "scope:\n",
    "  goal: \"[[Zien waar klanten afhaken tussen eerste contact en herhaalaankoop|"
    "See where customers drop off between first contact and repeat purchase]]\"\n",
    "  scope: \"[[Webshop: online kanalen, van advertentie tot review|Webshop: online "
    "channels, from ad to review]]\"\n",
    "  stakeholders: [marketing, sales, [[klantenservice|customer service]]]\n",
    "  version: \"1.0\"\n",
    "  owner: marketing\n",
    "brand_values:\n",
    "  - {nl: Persoonlijk, en: Personal}\n",
    "  - {nl: Betrouwbaar, en: Reliable}\n",
    "  - {nl: Deskundig, en: Expert}\n",
    "personas:\n",
    "  - id: zakelijk\n",
    "    name: {nl: Zakelijke klant, en: Business customer}\n",
    "    match: {account: true}\n",
    "  - id: mobiel\n",
    "    name: {nl: Mobiele bezoeker, en: Mobile visitor}\n",
    "    match: {first_device: [mobile, smartphone, phone, tablet, ios, android]}\n",
    "  - id: overig\n",
    "    name: {nl: Overige bezoeker, en: Other visitor}\n",
    "phases:\n",
    "  - id: bewustwording\n",
    "    name: {nl: Bewustwording, en: Awareness}\n",
    "    goal: \"[[Ik word me bewust van een behoefte en van dit merk|I become aware of a "
    "need and of this brand]]\"\n",
    "    kpis: [[[bereik, nieuwe bezoekers|reach, new visitors]]]\n",
    "    expected_emotion: 0\n",
    "    touchpoints:\n",
    "      - id: advertentie\n",
    "        name: {nl: Advertentie, en: Ad}\n",
    "        channel: ad\n",
    "        online: true\n",
    "        direct: false\n",
    "        initiated_by: company\n",
    "        match: {event: " EV_AD "}\n",
    "      - id: social_media\n",
    "        name: {nl: Social media, en: Social media}\n",
    "        channel: social\n",
    "        online: true\n",
    "        direct: false\n",
    "        initiated_by: company\n",
    "        match: {event: " EV_SOCIAL "}\n",
    "      - id: websitebezoek\n",
    "        name: {nl: Websitebezoek, en: Website visit}\n",
    "        channel: web\n",
    "        online: true\n",
    "        direct: true\n",
    "        initiated_by: customer\n",
    "        brand_value: Deskundig\n",
    "        match: {event: " EV_PAGE "}\n",
    "      - id: pagina\n",
    "        name: {nl: Overige pagina of scherm, en: Other page or screen}\n",
    "        online: true\n",
    "        initiated_by: customer\n",
    "        match: {type: [page, screen]}\n",
    "  - id: overweging\n",
    "    name: {nl: Overweging, en: Consideration}\n",
    "    goal: \"[[Ik vergelijk producten en aanbieders|I compare products and "
    "suppliers]]\"\n",
    "    kpis: [[[productweergaven, aanmeldingen nieuwsbrief|product views, newsletter "
    "sign-ups]]]\n",
    "    expected_conversion: 0.5\n",
    "    expected_emotion: 1\n",
    "    micro_conversions: [nieuwsbrief, account]\n",
    "    touchpoints:\n",
    "      - id: product_bekeken\n",
    "        name: {nl: Product bekeken, en: Product viewed}\n",
    "        channel: web\n",
    "        online: true\n",
    "        direct: true\n",
    "        initiated_by: customer\n",
    "        brand_value: Deskundig\n",
    "        match: {event: " EV_PRODUCT "}\n",
    "      - id: favoriet\n",
    "        name: {nl: Favoriet bewaard, en: Saved as favourite}\n",
    "        channel: web\n",
    "        initiated_by: customer\n",
    "        match: {event: " EV_FAV "}\n",
    "      - id: nieuwsbrief\n",
    "        name: {nl: Aanmelding nieuwsbrief, en: Newsletter sign-up}\n",
    "        channel: email\n",
    "        initiated_by: customer\n",
    "        brand_value: Persoonlijk\n",
    "        match: {event: " EV_NEWSLETTER "}\n",
    "      - id: account\n",
    "        name: {nl: Account aangemaakt, en: Account created}\n",
    "        channel: web\n",
    "        initiated_by: customer\n",
    "        match: {event: " EV_ACCOUNT "}\n",
    "      - id: email_gelezen\n",
    "        name: {nl: E-mail gelezen, en: Email read}\n",
    "        channel: email\n",
    "        initiated_by: company\n",
    "        brand_value: Persoonlijk\n",
    "        match: {event: " EV_EMAIL "}\n",
    "  - id: aankoop\n",
    "    name: {nl: Aankoop, en: Purchase}\n",
    "    goal: \"[[Ik bestel snel en zonder drempels|I order quickly and without "
    "obstacles]]\"\n",
    "    kpis: [[[conversieratio, afgebroken winkelwagens|conversion rate, abandoned "
    "carts]]]\n",
    "    expected_conversion: 0.3\n",
    "    expected_emotion: 1\n",
    "    micro_conversions: [winkelwagen]\n",
    "    touchpoints:\n",
    "      - id: winkelwagen\n",
    "        name: {nl: In winkelwagen, en: Added to cart}\n",
    "        channel: web\n",
    "        initiated_by: customer\n",
    "        match: {event: " EV_CART "}\n",
    "      - id: afrekenen\n",
    "        name: {nl: Afrekenen, en: Checkout}\n",
    "        channel: web\n",
    "        initiated_by: customer\n",
    "        brand_value: Betrouwbaar\n",
    "        expected_emotion: 0\n",
    "        match: {event: " EV_CHECKOUT "}\n",
    "      - id: bestelling\n",
    "        name: {nl: Bestelling, en: Order}\n",
    "        channel: web\n",
    "        initiated_by: customer\n",
    "        brand_value: Betrouwbaar\n",
    "        match: {event: " EV_ORDER "}\n",
    "  - id: service\n",
    "    name: {nl: Service, en: Service}\n",
    "    goal: \"[[Ik krijg mijn bestelling en hulp als ik die nodig heb|I get my order, "
    "and help when I need it]]\"\n",
    "    kpis: [[[klanttevredenheid, oplostijd|customer satisfaction, time to "
    "resolve]]]\n",
    "    expected_conversion: 0.6\n",
    "    expected_emotion: 1\n",
    "    touchpoints:\n",
    "      - id: levering\n",
    "        name: {nl: Levering, en: Delivery}\n",
    "        channel: post\n",
    "        online: false\n",
    "        initiated_by: company\n",
    "        brand_value: Betrouwbaar\n",
    "        match: {event: " EV_DELIVERY "}\n",
    "      - id: klantenservice\n",
    "        name: {nl: Contact klantenservice, en: Customer service contact}\n",
    "        channel: phone\n",
    "        initiated_by: customer\n",
    "        brand_value: Persoonlijk\n",
    "        expected_emotion: 0\n",
    "        match: {event: " EV_SERVICE "}\n",
    "      - id: enquete\n",
    "        name: {nl: Tevredenheidsonderzoek, en: Satisfaction survey}\n",
    "        channel: email\n",
    "        initiated_by: company\n",
    "        match: {event: " EV_SURVEY "}\n",
    "  - id: loyaliteit\n",
    "    name: {nl: Loyaliteit, en: Loyalty}\n",
    "    goal: \"[[Ik kom terug en raad het merk aan|I come back and recommend the "
    "brand]]\"\n",
    "    kpis: [[[herhaalaankopen, reviews, NPS|repeat purchases, reviews, NPS]]]\n",
    "    expected_conversion: 0.3\n",
    "    expected_emotion: 2\n",
    "    micro_conversions: [review]\n",
    "    touchpoints:\n",
    "      - id: review\n",
    "        name: {nl: Review geschreven, en: Review written}\n",
    "        channel: web\n",
    "        initiated_by: customer\n",
    "        match: {event: " EV_REVIEW "}\n",
    "      - id: ambassadeur\n",
    "        name: {nl: Aanbeveling of loyaliteitsprogramma, en: Referral or loyalty "
    "programme}\n",
    "        initiated_by: customer\n",
    "        brand_value: Persoonlijk\n",
    "        match: {event: " EV_LOYAL "}\n",
    "conversion: {touchpoint: bestelling}\n",
    "repeat: {touchpoint: bestelling, min_count: 2}\n",
    NULL};

/* One YAML line per element: ISO C caps a string literal at 4095 bytes. */
static const char *const touch_tell_sell_care[] = {
    "# [[Touch, tell, sell en care: vier aansluitende fasen van eerste aanraking tot "
    "loyale klant.|Touch, tell, sell and care: four consecutive phases from first touch to "
    "loyal customer.]]\n",
    "# [[Het formaat staat in docs/journey-model.md.|The format is described in "
    "docs/journey-model.md.]]\n",
    "lang: [[nl|en]]\n",
    "scope:\n",
    "  goal: \"[[Meten hoe campagnes klanten van touch naar care brengen|Measure how "
    "campaigns move customers from touch to care]]\"\n",
    "  scope: \"[[Online marketing en webshop|Online marketing and webshop]]\"\n",
    "  stakeholders: [marketing, [[klantenservice|customer service]]]\n",
    "  version: \"1.0\"\n",
    "personas:\n",
    "  - id: mobiel\n",
    "    name: {nl: Mobiele bezoeker, en: Mobile visitor}\n",
    "    match: {first_device: [mobile, smartphone, phone, tablet, ios, android]}\n",
    "  - id: overig\n",
    "    name: {nl: Overige bezoeker, en: Other visitor}\n",
    "phases:\n",
    "  - id: touch\n",
    "    name: {nl: Touch, en: Touch}\n",
    "    description: \"[[De doelgroep ontdekt dat het bedrijf bestaat: zoekmachine, "
    "advertenties, social media|The audience discovers that the business exists: search "
    "engine, ads, social media]]\"\n",
    "    kpis: [[[bereik, vertoningen|reach, impressions]]]\n",
    "    touchpoints:\n",
    "      - id: advertentie\n",
    "        name: {nl: Advertentie, en: Ad}\n",
    "        channel: ad\n",
    "        initiated_by: company\n",
    "        match: {event: " EV_AD "}\n",
    "      - id: social_media\n",
    "        name: {nl: Social media, en: Social media}\n",
    "        channel: social\n",
    "        initiated_by: company\n",
    "        match: {event: " EV_SOCIAL "}\n",
    "      - id: websitebezoek\n",
    "        name: {nl: Websitebezoek, en: Website visit}\n",
    "        channel: web\n",
    "        initiated_by: customer\n",
    "        match: {event: " EV_PAGE "}\n",
    "      - id: pagina\n",
    "        name: {nl: Overige pagina of scherm, en: Other page or screen}\n",
    "        initiated_by: customer\n",
    "        match: {type: [page, screen]}\n",
    "  - id: tell\n",
    "    name: {nl: Tell, en: Tell}\n",
    "    description: \"[[Informeren over aanbod, prijzen en voordelen|Inform about offer, "
    "prices and benefits]]\"\n",
    "    kpis: [[[productweergaven, microconversies|product views, "
    "micro-conversions]]]\n",
    "    micro_conversions: [nieuwsbrief, account]\n",
    "    touchpoints:\n",
    "      - id: product_bekeken\n",
    "        name: {nl: Product bekeken, en: Product viewed}\n",
    "        channel: web\n",
    "        initiated_by: customer\n",
    "        match: {event: " EV_PRODUCT "}\n",
    "      - id: favoriet\n",
    "        name: {nl: Favoriet bewaard, en: Saved as favourite}\n",
    "        initiated_by: customer\n",
    "        match: {event: " EV_FAV "}\n",
    "      - id: nieuwsbrief\n",
    "        name: {nl: Aanmelding nieuwsbrief, en: Newsletter sign-up}\n",
    "        channel: email\n",
    "        initiated_by: customer\n",
    "        match: {event: " EV_NEWSLETTER "}\n",
    "      - id: account\n",
    "        name: {nl: Account aangemaakt, en: Account created}\n",
    "        initiated_by: customer\n",
    "        match: {event: " EV_ACCOUNT "}\n",
    "      - id: email_gelezen\n",
    "        name: {nl: E-mail gelezen, en: Email read}\n",
    "        channel: email\n",
    "        initiated_by: company\n",
    "        match: {event: " EV_EMAIL "}\n",
    "  - id: sell\n",
    "    name: {nl: Sell, en: Sell}\n",
    "    description: \"[[Overtuigen en drempels wegnemen tot de aankoop|Persuade and remove "
    "obstacles up to the purchase]]\"\n",
    "    kpis: [[[conversieratio|conversion rate]]]\n",
    "    touchpoints:\n",
    "      - id: winkelwagen\n",
    "        name: {nl: In winkelwagen, en: Added to cart}\n",
    "        initiated_by: customer\n",
    "        match: {event: " EV_CART "}\n",
    "      - id: afrekenen\n",
    "        name: {nl: Afrekenen, en: Checkout}\n",
    "        initiated_by: customer\n",
    "        match: {event: " EV_CHECKOUT "}\n",
    "      - id: bestelling\n",
    "        name: {nl: Bestelling, en: Order}\n",
    "        initiated_by: customer\n",
    "        match: {event: " EV_ORDER "}\n",
    "  - id: care\n",
    "    name: {nl: Care, en: Care}\n",
    "    description: \"[[Zorg na de aankoop: service, bedankjes, loyaliteitsprogramma|Care "
    "after the purchase: service, thank-you notes, loyalty programme]]\"\n",
    "    kpis: [[[klanttevredenheid, herhaalaankopen|customer satisfaction, repeat "
    "purchases]]]\n",
    "    touchpoints:\n",
    "      - id: levering\n",
    "        name: {nl: Levering, en: Delivery}\n",
    "        initiated_by: company\n",
    "        match: {event: " EV_DELIVERY "}\n",
    "      - id: klantenservice\n",
    "        name: {nl: Contact klantenservice, en: Customer service contact}\n",
    "        initiated_by: customer\n",
    "        match: {event: " EV_SERVICE "}\n",
    "      - id: enquete\n",
    "        name: {nl: Tevredenheidsonderzoek, en: Satisfaction survey}\n",
    "        initiated_by: company\n",
    "        match: {event: " EV_SURVEY "}\n",
    "      - id: review\n",
    "        name: {nl: Review geschreven, en: Review written}\n",
    "        initiated_by: customer\n",
    "        match: {event: " EV_REVIEW "}\n",
    "      - id: loyaliteitsprogramma\n",
    "        name: {nl: Loyaliteitsprogramma, en: Loyalty programme}\n",
    "        initiated_by: customer\n",
    "        match: {event: " EV_LOYAL "}\n",
    "conversion: {touchpoint: bestelling}\n",
    "repeat: {touchpoint: bestelling, min_count: 2}\n",
    NULL};

/* One YAML line per element: ISO C caps a string literal at 4095 bytes. */
static const char *const b2b[] = {
    "# [[Zakelijke klantreis (B2B): accounts met een DMU, een lang aankooptraject en een "
    "relatie na de aankoop.|Business journey (B2B): accounts with a DMU, a long buying "
    "process and a relationship after the purchase.]]\n",
    "# [[Personas zijn hier de rollen in de DMU (decision-making unit), herkend aan wat "
    "iemand deed. Zodra property-regels werken is '{key: role, equals: ...}' beter.|Personas "
    "here are the roles in the DMU (decision-making unit), recognised by what someone did. "
    "Once property rules are evaluated, '{key: role, equals: ...}' is better.]]\n",
    "# [[Het formaat staat in docs/journey-model.md.|The format is described in "
    "docs/journey-model.md.]]\n",
    "lang: [[nl|en]]\n",
    "scope:\n",
    "  goal: \"[[Zien welke accounts waar in het traject zitten en waar deals "
    "stilvallen|See which accounts are where in the process and where deals stall]]\"\n",
    "  scope: \"[[Zakelijke klanten: marketing, sales, service en accountbeheer|Business "
    "customers: marketing, sales, service and account management]]\"\n",
    "  stakeholders: [marketing, sales, service, [[directie|management]]]\n",
    "  version: \"1.0\"\n",
    "personas:\n",
    "  - id: beslisser\n",
    "    name: {nl: Beslisser, en: Decision maker}\n",
    "    description: \"[[Tekent de offerte of het contract|Signs the quote or "
    "contract]]\"\n",
    "    match: {account: true, did_event: [contract_signed, quote_accepted, deal_won, "
    "Order Completed, purchase]}\n",
    "  - id: inkoper\n",
    "    name: {nl: Inkoper, en: Buyer}\n",
    "    description: \"[[Vraagt offertes en demo's aan en vergelijkt aanbieders|Requests "
    "quotes and demos and compares suppliers]]\"\n",
    "    match: {account: true, did_event: [quote_requested, Quote Requested, "
    "demo_requested, Demo Requested, whitepaper_download]}\n",
    "  - id: gebruiker\n",
    "    name: {nl: Gebruiker, en: User}\n",
    "    description: \"[[Werkt met het product en belt de servicedesk|Works with the product "
    "and calls the service desk]]\"\n",
    "    match: {account: true, did_event: [login, onboarding, support_ticket, "
    "service_contact, training]}\n",
    "  - id: dmu_overig\n",
    "    name: {nl: Overig DMU-lid, en: Other DMU member}\n",
    "    match: {account: true}\n",
    "  - id: zonder_account\n",
    "    name: {nl: Nog geen account bekend, en: No account known yet}\n",
    "phases:\n",
    "  - id: bewustwording\n",
    "    name: {nl: Bewustwording, en: Awareness}\n",
    "    goal: \"[[Wij merken dat klantinformatie verspreid staat en zoeken "
    "informatie|We notice our customer data is scattered and look for information]]\"\n",
    "    kpis: [[[bezoekende bedrijven, bereik|visiting companies, reach]]]\n",
    "    touchpoints:\n",
    "      - id: advertentie\n",
    "        name: {nl: Advertentie of LinkedIn, en: Ad or LinkedIn}\n",
    "        channel: ad\n",
    "        initiated_by: company\n",
    "        match: {event: " EV_AD "}\n",
    "      - id: content\n",
    "        name: {nl: Artikel of blog gelezen, en: Article or blog read}\n",
    "        channel: web\n",
    "        initiated_by: customer\n",
    "        match: {event: [article_view, blog_view, content_view, Article Viewed]}\n",
    "      - id: websitebezoek\n",
    "        name: {nl: Websitebezoek, en: Website visit}\n",
    "        channel: web\n",
    "        initiated_by: customer\n",
    "        match: {event: " EV_PAGE "}\n",
    "      - id: pagina\n",
    "        name: {nl: Overige pagina of scherm, en: Other page or screen}\n",
    "        initiated_by: customer\n",
    "        match: {type: [page, screen]}\n",
    "  - id: overweging\n",
    "    name: {nl: Overweging, en: Consideration}\n",
    "    goal: \"[[Wij vergelijken aanbieders, lezen reviews en bespreken de opties|We "
    "compare suppliers, read reviews and discuss the options]]\"\n",
    "    kpis: [[[whitepapers, demo-aanvragen|whitepapers, demo requests]]]\n",
    "    micro_conversions: [whitepaper, demo]\n",
    "    touchpoints:\n",
    "      - id: whitepaper\n",
    "        name: {nl: Whitepaper gedownload, en: Whitepaper downloaded}\n",
    "        channel: web\n",
    "        initiated_by: customer\n",
    "        match: {event: [whitepaper_download, download, Whitepaper Downloaded, "
    "lead, generate_lead, Lead Created]}\n",
    "      - id: demo\n",
    "        name: {nl: Demo aangevraagd, en: Demo requested}\n",
    "        initiated_by: customer\n",
    "        match: {event: [demo_requested, Demo Requested, webinar, webinar_registered, "
    "contact_form, Form Submitted]}\n",
    "      - id: product_bekeken\n",
    "        name: {nl: Product of prijzen bekeken, en: Product or pricing viewed}\n",
    "        initiated_by: customer\n",
    "        match: {event: " EV_PRODUCT "}\n",
    "      - id: gesprek\n",
    "        name: {nl: Gesprek met sales, en: Sales meeting}\n",
    "        channel: phone\n",
    "        online: false\n",
    "        initiated_by: company\n",
    "        match: {event: [meeting, sales_call, visit_customer, Meeting Held, call_sales]}\n",
    "  - id: aankoop\n",
    "    name: {nl: Aankoop, en: Purchase}\n",
    "    goal: \"[[Wij krijgen een heldere offerte en tekenen|We get a clear quote and "
    "sign]]\"\n",
    "    kpis: [[[offertes, gewonnen deals, doorlooptijd|quotes, deals won, cycle time]]]\n",
    "    micro_conversions: [offerte]\n",
    "    touchpoints:\n",
    "      - id: offerte\n",
    "        name: {nl: Offerte, en: Quote}\n",
    "        initiated_by: company\n",
    "        match: {event: [quote_requested, Quote Requested, quote_sent, Quote Sent, "
    "proposal, proposal_sent, negotiation]}\n",
    "      - id: contract\n",
    "        name: {nl: Contract of bestelling, en: Contract or order}\n",
    "        initiated_by: customer\n",
    "        match: {event: [contract_signed, Contract Signed, quote_accepted, deal_won, "
    "Deal Won, purchase, order, Order Completed, Order Placed, invoice_paid]}\n",
    "  - id: service\n",
    "    name: {nl: Service en gebruik, en: Service and use}\n",
    "    goal: \"[[Wij implementeren het product en krijgen snel hulp|We implement the "
    "product and get help quickly]]\"\n",
    "    kpis: [[[oplostijd, gebruik, klanttevredenheid|time to resolve, usage, customer "
    "satisfaction]]]\n",
    "    touchpoints:\n",
    "      - id: onboarding\n",
    "        name: {nl: Implementatie en training, en: Onboarding and training}\n",
    "        initiated_by: company\n",
    "        match: {event: [onboarding, implementation, training, kickoff, Onboarding "
    "Completed]}\n",
    "      - id: servicedesk\n",
    "        name: {nl: Servicedesk, en: Service desk}\n",
    "        initiated_by: customer\n",
    "        match: {event: " EV_SERVICE "}\n",
    "      - id: gebruik\n",
    "        name: {nl: Gebruik van het product, en: Product use}\n",
    "        initiated_by: customer\n",
    "        match: {event: [login, Signed In, feature_used, app_open]}\n",
    "      - id: enquete\n",
    "        name: {nl: Tevredenheidsonderzoek, en: Satisfaction survey}\n",
    "        initiated_by: company\n",
    "        match: {event: " EV_SURVEY "}\n",
    "  - id: loyaliteit\n",
    "    name: {nl: Loyaliteit, en: Loyalty}\n",
    "    goal: \"[[Wij verlengen, breiden uit en bevelen aan|We renew, expand and "
    "recommend]]\"\n",
    "    kpis: [[[verlengingen, upsell, aanbevelingen|renewals, upsell, referrals]]]\n",
    "    touchpoints:\n",
    "      - id: verlenging\n",
    "        name: {nl: Verlenging of uitbreiding, en: Renewal or expansion}\n",
    "        initiated_by: customer\n",
    "        match: {event: [renewal, contract_renewed, Contract Renewed, upsell, "
    "cross_sell, repeat_purchase, reorder]}\n",
    "      - id: aanbeveling\n",
    "        name: {nl: Aanbeveling of review, en: Referral or review}\n",
    "        initiated_by: customer\n",
    "        match: {event: [referral, Referral Sent, review, Review Submitted, "
    "case_study]}\n",
    "      - id: accountbezoek\n",
    "        name: {nl: Bezoek accountmanager, en: Account manager visit}\n",
    "        online: false\n",
    "        initiated_by: company\n",
    "        match: {event: [account_review, qbr, account_visit]}\n",
    "conversion: {touchpoint: contract}\n",
    "repeat: {touchpoint: verlenging, min_count: 1}\n",
    NULL};

static const struct {
    const char *name;
    const char *const *lines;
} templates[] = {
    {"five-phases", five_phases},
    {"touch-tell-sell-care", touch_tell_sell_care},
    {"b2b", b2b},
};

static const char *const template_names[] = {"five-phases", "touch-tell-sell-care", "b2b", NULL};

const char *const *kr_model_template_names(void)
{
    return template_names;
}

int kr_model_template(char **out, const char *name, const char *lang)
{
    *out = NULL;
    if (!lang)
        lang = "nl";
    bool en = strcmp(lang, "en") == 0;
    if (!en && strcmp(lang, "nl") != 0)
        return KR_ENOTFOUND;
    const char *const *lines = NULL;
    for (size_t i = 0; i < sizeof templates / sizeof *templates; i++)
        if (name && strcmp(templates[i].name, name) == 0)
            lines = templates[i].lines;
    if (!lines)
        return KR_ENOTFOUND;
    size_t len = 0;
    for (size_t i = 0; lines[i]; i++)
        len += strlen(lines[i]);
    char *buf = malloc(len + 1), *w = buf;
    if (!buf)
        return KR_ENOMEM;
    /* [[nl|en]] keeps one side; a marker lies within one line and holds no other '|' or "]]". */
    for (size_t i = 0; lines[i]; i++) {
        for (const char *p = lines[i]; *p;) {
            const char *bar, *end;
            if (p[0] == '[' && p[1] == '[' &&
                p[2] == '[') { /* "[[[a|b]]]": a list around a marker */
                *w++ = *p++;
                continue;
            }
            if (p[0] == '[' && p[1] == '[' && (bar = strchr(p + 2, '|')) &&
                (end = strstr(bar, "]]"))) {
                const char *from = en ? bar + 1 : p + 2, *to = en ? end : bar;
                memcpy(w, from, (size_t)(to - from));
                w += to - from;
                p = end + 2;
            } else {
                *w++ = *p++;
            }
        }
    }
    *w = '\0';
    *out = buf;
    return KR_OK;
}
