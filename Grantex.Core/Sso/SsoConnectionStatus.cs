namespace Grantex.Core.Sso;

/// <summary>Wire format §7.6: only an active connection is used for sign-in.</summary>
public enum SsoConnectionStatus
{
    Active,
    Inactive,
    Testing,
}
