using System.Net;
using System.Text.Json.Nodes;

namespace Grantex.Api.Tests.Policies;

/// <summary>Calls the policy tests share.</summary>
internal static class PolicyApi
{
    public static async Task<string> CreateAsync(ApiClient api, object body) =>
        (string)(await ApiClient.ExpectAsync(await api.PostAsync("/v1/policies", body), HttpStatusCode.Created))["id"]!;

    public static async Task<JsonObject> EvaluateAsync(ApiClient api, object body) =>
        await ApiClient.ExpectAsync(await api.PostAsync("/v1/policies/evaluate", body), HttpStatusCode.OK);

    public static async Task<JsonObject> SingleEntryAsync(ApiClient api, string action)
    {
        var list = await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/audit/entries?action={action}"), HttpStatusCode.OK);
        return list["entries"]!.AsArray().Single()!.AsObject();
    }
}
