namespace Grantex.Core.Consent;

/// <summary>Where an authorization request stands, as the consent page must tell the person.</summary>
public enum ConsentLookupState
{
    Pending,
    NotFound,
    Expired,
    Approved,
    Denied,
}
