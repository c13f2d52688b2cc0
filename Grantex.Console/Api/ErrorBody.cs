namespace Grantex.Console.Api;

/// <summary>Every <c>/v1</c> error: <c>{message, code, requestId}</c> (wire format §1.3).</summary>
public sealed record ErrorBody(string Message, string Code, string RequestId);
