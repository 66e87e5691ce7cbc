"""What a customer does with their own account: register, profile, addresses, lists,
properties, availability alerts, email change, deletion."""
