namespace Grantex.Core.Common;

/// <summary>What kind of failure an operation reported; the HTTP layer maps it to a status in one place.</summary>
public enum GxErrorKind
{
    Validation,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    Gone,
    TooManyRequests,

    /// <summary>A plan or quota limit (the reference's 402 <c>PLAN_LIMIT_EXCEEDED</c>).</summary>
    LimitExceeded,
    Unavailable,
}

/// <summary>
/// A refusal with a stable machine code (the wire format's), a human message and, when the failure is about
/// particular input, the names of the offending request fields (as the client spelled them: <c>agentId</c>,
/// <c>redirectUri</c>…). The HTTP layer sends the fields as <c>fields</c> in the error body when there are any.
/// </summary>
public sealed record GxError(GxErrorKind Kind, string Code, string Message)
{
    /// <summary>The request fields at fault; empty when the failure is not about one input.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    public static GxError BadRequest(string message, params string[] fields) =>
        new(GxErrorKind.Validation, ErrorCodes.BadRequest, message) { Fields = fields };

    /// <summary>
    /// "<c>a, b, and c are required.</c>" naming every required field, with <see cref="Fields"/> holding the ones that
    /// are missing (null, empty string or empty list).
    /// </summary>
    public static GxError Required(params (string Name, object? Value)[] fields) =>
        BadRequest(RequiredMessage([.. fields.Select(f => f.Name)]), [.. fields.Where(f => IsMissing(f.Value)).Select(f => f.Name)]);

    public static GxError NotFound(string message) => new(GxErrorKind.NotFound, ErrorCodes.NotFound, message);

    public static GxError Forbidden(string code, string message) => new(GxErrorKind.Forbidden, code, message);

    public static GxError Gone(string message) => new(GxErrorKind.Gone, ErrorCodes.Gone, message);

    /// <summary>The same error, naming <paramref name="fields"/> as the input at fault.</summary>
    public GxError For(params string[] fields) => this with { Fields = fields };

    private static string RequiredMessage(string[] names) => names.Length switch
    {
        1 => $"{names[0]} is required.",
        2 => $"{names[0]} and {names[1]} are required.",
        _ => $"{string.Join(", ", names[..^1])}, and {names[^1]} are required.",
    };

    private static bool IsMissing(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        System.Collections.IEnumerable list => !list.GetEnumerator().MoveNext(),
        _ => false,
    };
}
