using Grantex.Core.Keys;

namespace Grantex.Console.Api.Contracts;

public sealed record JwksResponse(IReadOnlyList<JsonWebKeyDto> Keys);

public sealed record HealthResponse(string Status, string Database);
