"""What English-speaking customers and the shop write in the demo.

Each story has slots: ``subject``, ``open`` (the customer's first message),
``reply`` (the shop's first answer, usually a question back), ``follow`` (the
customer's answer), ``close`` (the shop's last word) and ``note`` (internal).
Placeholders are filled by the generator: {first} {order_ref} {order} {product}
{size} {carrier} {tracking} {tracking_url} {agent} {amount} {city} {address}
{phone} {company} {vat} {cod_fee} {placed}.
"""

from __future__ import annotations

TEXT: dict[str, dict[str, tuple[str, ...]]] = {
    "where_is_order": {
        "subject": (
            "Where is my order {order_ref}?",
            "Order {order_ref} not arrived yet",
            "Tracking for {order_ref}",
        ),
        "open": (
            "Hi, I ordered the {product} on {placed} ({order_ref}) and it still hasn't arrived. "
            "The tracking page hasn't changed for three days. Can you check what's going on?",
            "Hello,\n\nany news on {order_ref}? It was supposed to be delivered by now and I "
            "need it before the weekend.\n\nThanks,\n{first}",
            "hi there, my order {order_ref} says delivered but nothing came?? I was home all day",
        ),
        "reply": (
            "Hi {first},\n\nsorry for the wait. Your parcel is with {carrier}, tracking number "
            "{tracking}. You can follow it here: {tracking_url}\n\nCould you confirm the "
            "delivery address is still correct?\n\n{agent}, Demo Shop",
        ),
        "follow": (
            "Yes, the address is correct. The tracking still says in transit though.",
            "Thanks, I see it now. Will the courier call me before delivery?",
        ),
        "close": (
            "The courier confirmed delivery is scheduled for tomorrow and they will call you "
            "first. I'll close this for now; just reply if it doesn't arrive.\n\n{agent}",
        ),
        "note": (
            "Called {carrier}: parcel {tracking} was held at the hub, released today.",
            "Courier says the delay is weather related, ETA two days.",
        ),
    },
    "wrong_size": {
        "subject": ("Wrong size - exchange for {order_ref}", "Exchange request: {product}"),
        "open": (
            "Hi, the {product} from {order_ref} is too small. I ordered {size} but it fits like "
            "a size smaller. Can I exchange it for the next size up?",
            "Hello, I received size {size} instead of the size I ordered. Order {order_ref}. "
            "What should I do?",
        ),
        "reply": (
            "Hi {first}, sorry about that! We can exchange it free of charge. Could you send us "
            "a photo of the label inside and tell us which size you'd like instead?",
        ),
        "follow": (
            "Photo attached. I'd like the next size up, please.",
            "Here's the label. Can you send the new one before I return the old one?",
        ),
        "close": (
            "Thanks {first}! The replacement is on its way with {carrier} ({tracking}). Please "
            "hand the original to the courier when they deliver the new one.",
        ),
        "note": (
            "Exchange approved, no restocking fee. Replacement pulled from stock.",
            "Size chart for this model runs small; flagged to the product team.",
        ),
    },
    "refund": {
        "subject": ("Refund for {order_ref}", "When will I get my money back?"),
        "open": (
            "Hi, I returned the {product} ({order_ref}) last week and still haven't received "
            "my refund. How long does it usually take?",
            "I'd like to return {order_ref} and get a refund, it's not what I expected.",
        ),
        "reply": (
            "Hi {first}, we received your return and issued the refund of {amount} today. "
            "Banks usually take 3-5 working days to show it. Could you let us know if it "
            "hasn't arrived by then?",
        ),
        "follow": (
            "Still nothing on my card statement.",
            "OK thank you. Does the refund include shipping?",
        ),
        "close": (
            "I checked with our payment provider: the refund was completed on their side, "
            "reference RF-{order}. It should show on your statement shortly. Closing this "
            "ticket, reply any time.",
        ),
        "note": (
            "Refund issued via the payment gateway; shipping not refundable per policy.",
            "Second refund request in three months; check the return reason.",
        ),
    },
    "damaged": {
        "subject": ("Parcel arrived damaged", "Broken item in {order_ref}"),
        "open": (
            "The box for {order_ref} arrived crushed and the {product} inside is damaged. I "
            "have photos. This was a gift, I'm really disappointed.",
            "Hello, the {product} arrived broken. Order {order_ref}.",
        ),
        "reply": (
            "I'm so sorry, {first}. Could you send photos of the item and the outer box? Once "
            "we have them we'll send a replacement right away, no need to return the damaged "
            "one.",
        ),
        "follow": (
            "Photos attached (three pictures of the box and the item).",
            "Sent the photos. How soon can you send a new one?",
        ),
        "close": (
            "Thank you for the photos. A replacement has shipped with {carrier}, tracking "
            "{tracking}. We've also filed a claim with the courier. Sorry again!",
        ),
        "note": (
            "Damage claim opened with {carrier} for {tracking}.",
            "Second damaged delivery in this area this month; ask for double boxing.",
        ),
    },
    "cod": {
        "subject": ("Cash on delivery?", "Pay on delivery for {order_ref}"),
        "open": (
            "Hi, can I pay cash on delivery for {order_ref}? I don't have a credit card.",
            "Do you offer cash on delivery to {city}? And is there an extra fee?",
        ),
        "reply": (
            "Hi {first}, yes, cash on delivery is available in {city}. There's a small fee of "
            "{cod_fee} and the courier only accepts exact cash. Shall I switch your order "
            "{order_ref} to cash on delivery?",
        ),
        "follow": ("Yes please switch it.", "Can I pay the courier by card instead?"),
        "close": (
            "Done: {order_ref} is now cash on delivery, total {amount}. The courier will call "
            "before arriving.",
        ),
        "note": (
            "Switched payment to COD; the order was pending payment.",
            "COD limit for this city is fine for this amount.",
        ),
    },
    "address_change": {
        "subject": ("Change delivery address for {order_ref}", "Wrong address on my order"),
        "open": (
            "Hi, I made a mistake in the address for {order_ref}. The building number should "
            "be 14, not 41. Can you fix it before it ships?",
            "I moved last week, please send {order_ref} to my new address in {city}.",
        ),
        "reply": (
            "Hi {first}, the order hasn't shipped yet, so we can still change it. Could you "
            "send the full new address including postcode and a phone number for the courier?",
        ),
        "follow": ("{address}", "Here it is: {address}. Phone {phone}."),
        "close": (
            "Updated. {order_ref} will go to the new address; you'll get the tracking number "
            "when it ships.",
        ),
        "note": (
            "Address updated in the shop before label printing.",
            "Label already printed; asked the courier to redirect.",
        ),
    },
    "out_of_stock": {
        "subject": ("Is the {product} back in stock?", "Item out of stock in {order_ref}"),
        "open": (
            "Hello, you emailed that the {product} in my order {order_ref} is out of stock. "
            "When will it be available? I can wait a week but not more.",
            "Hi! When will the {product} in size {size} be back in stock? Order {order_ref}.",
        ),
        "reply": (
            "Hi {first}, the next delivery from our supplier is expected within 7-10 days. We "
            "can either ship the rest of your order now and the {product} later, or refund "
            "that item. Which do you prefer?",
        ),
        "follow": (
            "Please ship the rest now and the {product} later.",
            "I'll wait, please let me know when it's back.",
        ),
        "close": (
            "Good news, the {product} is back in stock and on its way ({carrier}, {tracking}). "
            "Thanks for your patience!",
        ),
        "note": (
            "Supplier ETA 8 days. Partial shipment approved.",
            "Back-in-stock alert set for this SKU.",
        ),
    },
    "invoice": {
        "subject": ("Invoice for {order_ref}", "VAT invoice request"),
        "open": (
            "Hi, could you send me an invoice with VAT for {order_ref}? I need it for my "
            "company. Company name: {company}.",
            "Hello, I need an official invoice for {order_ref} for my expenses.",
        ),
        "reply": (
            "Hi {first}, of course. Which VAT number and billing address should appear on the "
            "invoice?",
        ),
        "follow": (
            "VAT number {vat}. Same address as the delivery.",
            "The address is my office: {address}.",
        ),
        "close": (
            "The invoice for {order_ref} is attached (INV-{order}). Let us know if anything "
            "needs correcting.",
        ),
        "note": ("Invoice generated manually, accounting in copy.",),
    },
    "presale": {
        "subject": ("Question about the {product}", "Before I order: {product}"),
        "open": (
            "Hi, is the {product} true to size? I'm usually between M and L.",
            "Hello, do you ship the {product} to {city}, and how long does delivery take?",
            "Is the {product} original? Does it come with a warranty?",
        ),
        "reply": (
            "Hi {first}, thanks for asking! It fits true to size; if you're between sizes we'd "
            "suggest the larger one. Delivery to {city} takes 2-4 working days. Anything else "
            "I can help with?",
        ),
        "follow": (
            "Perfect, thank you. Do you have a discount code for first orders?",
            "Great, I'll place the order today.",
        ),
        "close": ("You can use WELCOME10 for 10% off your first order. Happy shopping!",),
        "note": ("Possible bulk order (10+ pieces); forward to sales if they come back.",),
    },
    "cancel": {
        "subject": ("Cancel {order_ref}", "Please cancel my order"),
        "open": (
            "Hi, please cancel {order_ref}, I ordered the wrong colour.",
            "I need to cancel my order {order_ref}. I found it cheaper locally, sorry.",
        ),
        "reply": (
            "Hi {first}, I can cancel it as it hasn't shipped yet. Just to confirm: cancel the "
            "whole order, or only the {product}?",
        ),
        "follow": ("The whole order please.", "Only the {product}, keep the rest."),
        "close": ("{order_ref} has been cancelled and the payment voided; you won't be charged.",),
        "note": ("Cancelled before fulfilment; payment authorisation voided.",),
    },
    "order_note": {
        "subject": ("Note on order {order_ref}",),
        "open": (
            "Please call me before delivery, I'm at work until 5 pm.",
            "This is a gift, please don't put the invoice in the box.",
            "Please deliver to the reception of my office building.",
            "Can you gift-wrap it? It's for my sister's birthday.",
        ),
        "reply": ("Noted, we'll pass this on to the courier.",),
        "follow": ("Thank you!",),
        "close": ("Your order {order_ref} has been packed as requested and is on its way.",),
        "note": ("Gift wrap added, no charge.", "Courier instructions added to the label."),
    },
}

GENERIC: dict[str, tuple[str, ...]] = {
    "nudge": (
        "Any update on this?",
        "Hello? Still waiting for an answer.",
        "Hi again, can someone reply please?",
    ),
    "thanks": ("Thank you so much!", "Great, thanks.", "Perfect, thanks for the quick help."),
    "re": ("Re: ",),
    "shipped_note": ("Shipped with {carrier}, tracking {tracking}.",),
    "packed_note": ("Packed and checked by the warehouse team.",),
    "customer_note": (
        "VIP: more than ten orders.",
        "Prefers to be contacted by email.",
        "Asked for a callback in the afternoon.",
    ),
}
