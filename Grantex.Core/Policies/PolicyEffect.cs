namespace Grantex.Core.Policies;

/// <summary>What a matching policy does (reference wire format §7.1: <c>allow</c> or <c>deny</c>).</summary>
public enum PolicyEffect
{
    Allow,
    Deny,
}
