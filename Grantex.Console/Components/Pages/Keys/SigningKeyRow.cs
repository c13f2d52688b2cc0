using Grantex.Core.Keys;

namespace Grantex.Console.Components.Pages.Keys;

/// <summary>A signing key (never its private part) with the unexpired tokens it signed.</summary>
public sealed record SigningKeyRow(string Kid, string Status, DateTime CreatedAt, DateTime? RotatedAt, DateTime? RetiredAt, SigningKeyUsage? Usage);
