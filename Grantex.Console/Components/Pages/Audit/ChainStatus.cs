using Grantex.Core.Audit;

namespace Grantex.Console.Components.Pages.Audit;

/// <summary>The verification of one chain (a developer's, or the console operators').</summary>
public sealed record ChainStatus(string ChainId, string ChainName, ChainVerification Verification);
