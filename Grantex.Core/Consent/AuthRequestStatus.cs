namespace Grantex.Core.Consent;

public enum AuthRequestStatus
{
    Pending,
    Approved,
    Consumed,
    Denied,
}
