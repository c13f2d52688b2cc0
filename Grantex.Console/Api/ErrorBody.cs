namespace Grantex.Console.Api;

/// <summary>
/// Every <c>/v1</c> error: <c>{message, code, requestId}</c> (wire format §1.3), plus <c>fields</c> — the request
/// fields at fault — when the failure is about particular input (omitted otherwise).
/// </summary>
public sealed record ErrorBody(string Message, string Code, string RequestId, IReadOnlyList<string>? Fields = null);
