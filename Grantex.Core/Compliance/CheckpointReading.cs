using Grantex.Core.Jose;

namespace Grantex.Core.Compliance;

/// <summary>A checkpoint JWS as read by a verifier: its claims (null if unreadable) and how its signature fared.</summary>
public sealed record CheckpointReading(string Jws, CheckpointClaims? Claims, JwsCheck Signature);
