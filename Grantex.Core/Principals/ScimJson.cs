using System.Text.Json.Serialization;

namespace Grantex.Core.Principals;

/// <summary>Source-generated JSON for what SCIM stores as JSON text (the emails column).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<ScimEmail>))]
internal sealed partial class ScimJson : JsonSerializerContext;
