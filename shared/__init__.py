"""danvan's shared package: settings, event envelope, admin units, auth, errors."""
