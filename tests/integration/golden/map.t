# The journey map (docs/map.md): the Mermaid journey diagram of each template in both
# languages (sections = phases, tasks = touchpoints, score round(emotion + 3) from the
# touchpoint's expected emotion, else its phase's, else 3; actor = who initiates), and
# usage errors. The poster itself: test_map_render.sh and tests/unit/render/test_map_layout.c.

$ klantreis map --template five-phases --lang nl --out five-phases.nl.mmd && cat five-phases.nl.mmd
journey
    title Zien waar klanten afhaken tussen eerste contact en herhaalaankoop
    section Bewustwording
        Advertentie: 3: Organisatie
        Social media: 3: Organisatie
        Websitebezoek: 3: Klant
        Overige pagina of scherm: 3: Klant
    section Overweging
        Product bekeken: 4: Klant
        Favoriet bewaard: 4: Klant
        Aanmelding nieuwsbrief: 4: Klant
        Account aangemaakt: 4: Klant
        E-mail gelezen: 4: Organisatie
    section Aankoop
        In winkelwagen: 4: Klant
        Afrekenen: 3: Klant
        Bestelling: 4: Klant
    section Service
        Levering: 4: Organisatie
        Contact klantenservice: 3: Klant
        Tevredenheidsonderzoek: 4: Organisatie
    section Loyaliteit
        Review geschreven: 5: Klant
        Aanbeveling of loyaliteitsprogramma: 5: Klant

$ klantreis map --template five-phases --lang en --out five-phases.en.mmd && cat five-phases.en.mmd
journey
    title See where customers drop off between first contact and repeat purchase
    section Awareness
        Ad: 3: Company
        Social media: 3: Company
        Website visit: 3: Customer
        Other page or screen: 3: Customer
    section Consideration
        Product viewed: 4: Customer
        Saved as favourite: 4: Customer
        Newsletter sign-up: 4: Customer
        Account created: 4: Customer
        Email read: 4: Company
    section Purchase
        Added to cart: 4: Customer
        Checkout: 3: Customer
        Order: 4: Customer
    section Service
        Delivery: 4: Company
        Customer service contact: 3: Customer
        Satisfaction survey: 4: Company
    section Loyalty
        Review written: 5: Customer
        Referral or loyalty programme: 5: Customer

$ klantreis map --template touch-tell-sell-care --lang nl --out touch-tell-sell-care.nl.mmd && cat touch-tell-sell-care.nl.mmd
journey
    title Meten hoe campagnes klanten van touch naar care brengen
    section Touch
        Advertentie: 3: Organisatie
        Social media: 3: Organisatie
        Websitebezoek: 3: Klant
        Overige pagina of scherm: 3: Klant
    section Tell
        Product bekeken: 3: Klant
        Favoriet bewaard: 3: Klant
        Aanmelding nieuwsbrief: 3: Klant
        Account aangemaakt: 3: Klant
        E-mail gelezen: 3: Organisatie
    section Sell
        In winkelwagen: 3: Klant
        Afrekenen: 3: Klant
        Bestelling: 3: Klant
    section Care
        Levering: 3: Organisatie
        Contact klantenservice: 3: Klant
        Tevredenheidsonderzoek: 3: Organisatie
        Review geschreven: 3: Klant
        Loyaliteitsprogramma: 3: Klant

$ klantreis map --template touch-tell-sell-care --lang en --out touch-tell-sell-care.en.mmd && cat touch-tell-sell-care.en.mmd
journey
    title Measure how campaigns move customers from touch to care
    section Touch
        Ad: 3: Company
        Social media: 3: Company
        Website visit: 3: Customer
        Other page or screen: 3: Customer
    section Tell
        Product viewed: 3: Customer
        Saved as favourite: 3: Customer
        Newsletter sign-up: 3: Customer
        Account created: 3: Customer
        Email read: 3: Company
    section Sell
        Added to cart: 3: Customer
        Checkout: 3: Customer
        Order: 3: Customer
    section Care
        Delivery: 3: Company
        Customer service contact: 3: Customer
        Satisfaction survey: 3: Company
        Review written: 3: Customer
        Loyalty programme: 3: Customer

$ klantreis map --template b2b --lang nl --out b2b.nl.mmd && cat b2b.nl.mmd
journey
    title Zien welke accounts waar in het traject zitten en waar deals stilvallen
    section Bewustwording
        Advertentie of LinkedIn: 3: Organisatie
        Artikel of blog gelezen: 3: Klant
        Websitebezoek: 3: Klant
        Overige pagina of scherm: 3: Klant
    section Overweging
        Whitepaper gedownload: 3: Klant
        Demo aangevraagd: 3: Klant
        Product of prijzen bekeken: 3: Klant
        Gesprek met sales: 3: Organisatie
    section Aankoop
        Offerte: 3: Organisatie
        Contract of bestelling: 3: Klant
    section Service en gebruik
        Implementatie en training: 3: Organisatie
        Servicedesk: 3: Klant
        Gebruik van het product: 3: Klant
        Tevredenheidsonderzoek: 3: Organisatie
    section Loyaliteit
        Verlenging of uitbreiding: 3: Klant
        Aanbeveling of review: 3: Klant
        Bezoek accountmanager: 3: Organisatie

$ klantreis map --template b2b --lang en --out b2b.en.mmd && cat b2b.en.mmd
journey
    title See which accounts are where in the process and where deals stall
    section Awareness
        Ad or LinkedIn: 3: Company
        Article or blog read: 3: Customer
        Website visit: 3: Customer
        Other page or screen: 3: Customer
    section Consideration
        Whitepaper downloaded: 3: Customer
        Demo requested: 3: Customer
        Product or pricing viewed: 3: Customer
        Sales meeting: 3: Company
    section Purchase
        Quote: 3: Company
        Contract or order: 3: Customer
    section Service and use
        Onboarding and training: 3: Company
        Service desk: 3: Customer
        Product use: 3: Customer
        Satisfaction survey: 3: Company
    section Loyalty
        Renewal or expansion: 3: Customer
        Referral or review: 3: Customer
        Account manager visit: 3: Company

# A model file: names with Mermaid's separators (':' '#' ';') lose them; the title keeps ':';
# no goal gives a default title; a touchpoint without emotion takes its phase's, else 3.
$ printf 'scope:\n  goal: "Doel: #1; snel"\nphases:\n  - id: a\n    name: "Fase: een"\n    expected_emotion: -1.5\n    touchpoints:\n      - {id: x, name: "A#b;c: d", match: {event: x}}\n      - {id: y, expected_emotion: 0.5, initiated_by: company, match: {event: y}}\n  - id: b\n    touchpoints:\n      - {id: z, match: {event: z}}\n' > m.yaml; klantreis map --model m.yaml --out m.mmd && cat m.mmd
journey
    title Doel: 1 snel
    section Fase een
        A b c d: 2: Klant
        y: 4: Organisatie
    section b
        z: 3: Klant

$ printf 'lang: en\nphases:\n  - id: a\n    touchpoints:\n      - {id: x, expected_emotion: 2, match: {event: x}}\n' > e.yaml; klantreis map --model e.yaml --out e.mmd && cat e.mmd
journey
    title Customer journey
    section a
        x: 5: Customer

# Usage errors: no --out, an unknown extension, a bad --lang, data with a Mermaid diagram.
$ klantreis map --template b2b 2>&1
klantreis map: --out FILE is needed (.pdf, .png, .svg or .mmd)
(see 'klantreis map --help')
[exit 1]

$ klantreis map --template b2b --out map.jpg 2>&1
klantreis map: --out must end in .pdf, .png, .svg or .mmd
(see 'klantreis map --help')
[exit 1]

$ klantreis map --template b2b --lang de --out m.mmd 2>&1
klantreis map: --lang takes nl or en
(see 'klantreis map --help')
[exit 1]

$ klantreis map --template b2b --out m.mmd $DATA/journey_small.csv 2>&1
klantreis map: the Mermaid diagram shows no data: drop SOURCE
(see 'klantreis map --help')
[exit 1]

$ klantreis map --template nope --out m.mmd 2>&1 | head -1
klantreis map: unknown template 'nope' or language 'nl' (templates: five-phases, touch-tell-sell-care, b2b; languages: nl, en)
