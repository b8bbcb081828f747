"""CharlieHR: the REST client, its payloads, and employees normalised from them."""
