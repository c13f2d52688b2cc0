namespace Grantex.Console.Components.Consent;

/// <summary>What the consent page shows: the request to decide, or one of the pages that end the flow.</summary>
public enum ConsentPageState
{
    Pending,
    MissingRequest,
    NotFound,
    Expired,
    AlreadyApproved,
    AlreadyDenied,
    SessionRequired,
    Approved,
    Denied,
}
