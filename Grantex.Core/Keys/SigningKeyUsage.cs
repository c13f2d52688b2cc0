namespace Grantex.Core.Keys;

/// <summary>How many unexpired grant tokens a key signed, and when the last of them expires (when the key can retire).</summary>
public sealed record SigningKeyUsage(int LiveTokens, DateTime LastExpiry);
