using System.Net;
using System.Net.Http.Headers;
using Grantex.Testing;

namespace Grantex.Api.Tests.Principals;

/// <summary>SCIM tokens and SCIM 2.0 Users, endpoint by endpoint (wire format §7.5), with the refusals an IdP can meet.</summary>
public sealed class ScimApiTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task a_scim_token_is_created_once_listed_without_its_secret_and_revoked()
    {
        var api = await ApiClient.CreateAsync(factory);
        var created = await ApiClient.ExpectAsync(await api.PostAsync("/v1/scim/tokens", new { label = "Okta" }), HttpStatusCode.Created);
        Assert.StartsWith("scimtok_", (string)created["id"]!, StringComparison.Ordinal);
        Assert.Equal("Okta", (string?)created["label"]);
        Assert.Matches("^[0-9a-f]{64}$", (string)created["token"]!);

        var list = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/scim/tokens"), HttpStatusCode.OK);
        var listed = Assert.Single(list["tokens"]!.AsArray())!.AsObject();
        Assert.Equal((string?)created["id"], (string?)listed["id"]);
        Assert.False(listed.ContainsKey("token"));
        Assert.True(listed.ContainsKey("lastUsedAt"));

        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/scim/tokens", new { }), HttpStatusCode.BadRequest, "BAD_REQUEST");

        var scim = factory.CreateClient();
        scim.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)created["token"]!);
        Assert.Equal(HttpStatusCode.OK, (await scim.GetAsync("/scim/v2/Users")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await api.Http.DeleteAsync($"/v1/scim/tokens/{created["id"]}")).StatusCode);
        await ApiClient.ExpectErrorAsync(await api.Http.DeleteAsync($"/v1/scim/tokens/{created["id"]}"), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Empty((await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/scim/tokens"), HttpStatusCode.OK))["tokens"]!.AsArray());
        await ScimClient.ExpectErrorAsync(await scim.GetAsync("/scim/v2/Users"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task service_provider_config_resource_types_and_schemas_are_public()
    {
        var anonymous = factory.CreateClient();
        var config = await ScimClient.ExpectAsync(await anonymous.GetAsync("/scim/v2/ServiceProviderConfig"), HttpStatusCode.OK);
        Assert.Equal("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig", (string?)config["schemas"]![0]);
        Assert.True((bool)config["patch"]!["supported"]!);
        Assert.True((bool)config["filter"]!["supported"]!);
        Assert.Equal(200, (int)config["filter"]!["maxResults"]!);
        Assert.False((bool)config["bulk"]!["supported"]!);
        Assert.Equal("oauthbearertoken", (string?)config["authenticationSchemes"]![0]!["type"]);

        var types = await ScimClient.ExpectAsync(await anonymous.GetAsync("/scim/v2/ResourceTypes"), HttpStatusCode.OK);
        Assert.Equal("/Users", (string?)types["Resources"]![0]!["endpoint"]);
        var schemas = await ScimClient.ExpectAsync(await anonymous.GetAsync("/scim/v2/Schemas"), HttpStatusCode.OK);
        Assert.Equal("urn:ietf:params:scim:schemas:core:2.0:User", (string?)schemas["Resources"]![0]!["id"]);
    }

    [Fact]
    public async Task users_are_created_read_listed_replaced_and_deleted()
    {
        var api = await ApiClient.CreateAsync(factory);
        var scim = await ScimClient.CreateAsync(factory, api);

        var response = await scim.PostAsync("/scim/v2/Users", new
        {
            schemas = new[] { "urn:ietf:params:scim:schemas:core:2.0:User" },
            userName = "carol@example.com",
            externalId = "00u-carol",
            displayName = "Carol",
            name = new { givenName = "Carol", familyName = "King" },
            emails = new[] { new { value = "carol@example.com", type = "work", primary = true } },
        });
        var created = await ScimClient.ExpectAsync(response, HttpStatusCode.Created);
        var id = (string)created["id"]!;
        Assert.StartsWith("scimuser_", id, StringComparison.Ordinal);
        Assert.EndsWith($"/scim/v2/Users/{id}", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("urn:ietf:params:scim:schemas:core:2.0:User", (string?)created["schemas"]![0]);
        Assert.Equal("carol@example.com", (string?)created["userName"]);
        Assert.True((bool)created["active"]!);
        Assert.Equal("King", (string?)created["name"]!["familyName"]);
        Assert.Equal("carol@example.com", (string?)created["emails"]![0]!["value"]);
        Assert.Equal("User", (string?)created["meta"]!["resourceType"]);

        var read = await ScimClient.ExpectAsync(await scim.Http.GetAsync($"/scim/v2/Users/{id}"), HttpStatusCode.OK);
        Assert.Equal("00u-carol", (string?)read["externalId"]);

        var list = await ScimClient.ExpectAsync(await scim.Http.GetAsync("/scim/v2/Users"), HttpStatusCode.OK);
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:ListResponse", (string?)list["schemas"]![0]);
        Assert.Equal(1, (int)list["totalResults"]!);
        Assert.Equal(id, (string?)list["Resources"]![0]!["id"]);

        // PUT replaces everything: what is not sent is cleared.
        var replaced = await ScimClient.ExpectAsync(await scim.PutAsync($"/scim/v2/Users/{id}", new { userName = "carol@example.com", active = true }), HttpStatusCode.OK);
        Assert.False(replaced.ContainsKey("displayName"));
        Assert.False(replaced.ContainsKey("externalId"));
        Assert.Empty(replaced["emails"]!.AsArray());

        await ScimClient.ExpectErrorAsync(await scim.PutAsync($"/scim/v2/Users/{id}", new { displayName = "no user name" }), HttpStatusCode.BadRequest, "invalidValue");
        await ScimClient.ExpectErrorAsync(await scim.PostAsync("/scim/v2/Users", new { displayName = "x" }), HttpStatusCode.BadRequest, "invalidValue");

        Assert.Equal(HttpStatusCode.NoContent, (await scim.Http.DeleteAsync($"/scim/v2/Users/{id}")).StatusCode);
        await ScimClient.ExpectErrorAsync(await scim.Http.GetAsync($"/scim/v2/Users/{id}"), HttpStatusCode.NotFound, null);
        await ScimClient.ExpectErrorAsync(await scim.Http.DeleteAsync($"/scim/v2/Users/{id}"), HttpStatusCode.NotFound, null);
        Assert.Equal(0, (int)(await ScimClient.ExpectAsync(await scim.Http.GetAsync("/scim/v2/Users"), HttpStatusCode.OK))["totalResults"]!);
    }

    [Fact]
    public async Task a_duplicate_user_name_in_any_case_is_409_uniqueness_and_another_developer_is_not_affected()
    {
        var api = await ApiClient.CreateAsync(factory);
        var scim = await ScimClient.CreateAsync(factory, api);
        var first = await scim.CreateUserAsync("dave@example.com");
        var second = await scim.CreateUserAsync("erin@example.com");

        await ScimClient.ExpectErrorAsync(await scim.PostAsync("/scim/v2/Users", new { userName = "DAVE@example.com" }), HttpStatusCode.Conflict, "uniqueness");
        // Renaming onto a taken name is refused too, by PUT and by PATCH.
        await ScimClient.ExpectErrorAsync(await scim.PutAsync($"/scim/v2/Users/{second["id"]}", new { userName = "dave@example.com" }), HttpStatusCode.Conflict, "uniqueness");
        await ScimClient.ExpectErrorAsync(await scim.PatchAsync($"/scim/v2/Users/{second["id"]}", new
        {
            Operations = new[] { new { op = "replace", path = "userName", value = "Dave@Example.com" } },
        }), HttpStatusCode.Conflict, "uniqueness");

        var other = await ScimClient.CreateAsync(factory, await ApiClient.CreateAsync(factory));
        await other.CreateUserAsync("dave@example.com");
        // Another developer's user is invisible here.
        await ScimClient.ExpectErrorAsync(await other.Http.GetAsync($"/scim/v2/Users/{first["id"]}"), HttpStatusCode.NotFound, null);
    }

    [Fact]
    public async Task filter_finds_by_user_name_without_case_or_by_external_id_and_refuses_other_expressions()
    {
        var api = await ApiClient.CreateAsync(factory);
        var scim = await ScimClient.CreateAsync(factory, api);
        var frank = await scim.CreateUserAsync("frank@example.com", new { externalId = "ext-frank" });
        await scim.CreateUserAsync("grace@example.com");

        var byName = await ScimClient.ExpectAsync(await scim.Http.GetAsync("/scim/v2/Users?filter=" + Uri.EscapeDataString("userName eq \"FRANK@example.com\"")), HttpStatusCode.OK);
        Assert.Equal(1, (int)byName["totalResults"]!);
        Assert.Equal((string?)frank["id"], (string?)byName["Resources"]![0]!["id"]);

        var byExternal = await ScimClient.ExpectAsync(await scim.Http.GetAsync("/scim/v2/Users?filter=" + Uri.EscapeDataString("externalId eq \"ext-frank\"")), HttpStatusCode.OK);
        Assert.Equal(1, (int)byExternal["totalResults"]!);

        var none = await ScimClient.ExpectAsync(await scim.Http.GetAsync("/scim/v2/Users?filter=" + Uri.EscapeDataString("userName eq \"nobody\"")), HttpStatusCode.OK);
        Assert.Equal(0, (int)none["totalResults"]!);
        Assert.Empty(none["Resources"]!.AsArray());

        await ScimClient.ExpectErrorAsync(await scim.Http.GetAsync("/scim/v2/Users?filter=" + Uri.EscapeDataString("userName sw \"f\"")), HttpStatusCode.BadRequest, "invalidFilter");
        await ScimClient.ExpectErrorAsync(await scim.Http.GetAsync("/scim/v2/Users?filter=" + Uri.EscapeDataString("displayName eq \"x\"")), HttpStatusCode.BadRequest, "invalidFilter");
    }

    [Fact]
    public async Task paging_reads_start_index_from_one_caps_count_at_200_and_refuses_non_numbers()
    {
        var api = await ApiClient.CreateAsync(factory);
        var scim = await ScimClient.CreateAsync(factory, api);
        var ids = new List<string>();
        foreach (var name in new[] { "p1", "p2", "p3" })
        {
            ids.Add((string)(await scim.CreateUserAsync(name))["id"]!);
        }

        var all = await ScimClient.ExpectAsync(await scim.Http.GetAsync("/scim/v2/Users?startIndex=0&count=1000"), HttpStatusCode.OK);
        Assert.Equal(1, (int)all["startIndex"]!);
        Assert.Equal(3, (int)all["itemsPerPage"]!);
        Assert.Equal(ids, all["Resources"]!.AsArray().Select(r => (string)r!["id"]!));

        var second = await ScimClient.ExpectAsync(await scim.Http.GetAsync("/scim/v2/Users?startIndex=2&count=1"), HttpStatusCode.OK);
        Assert.Equal(3, (int)second["totalResults"]!);
        Assert.Equal(2, (int)second["startIndex"]!);
        Assert.Equal(ids[1], (string?)Assert.Single(second["Resources"]!.AsArray())!["id"]);

        var past = await ScimClient.ExpectAsync(await scim.Http.GetAsync("/scim/v2/Users?startIndex=99"), HttpStatusCode.OK);
        Assert.Equal(3, (int)past["totalResults"]!);
        Assert.Empty(past["Resources"]!.AsArray());

        var countOnly = await ScimClient.ExpectAsync(await scim.Http.GetAsync("/scim/v2/Users?count=-5"), HttpStatusCode.OK);
        Assert.Equal(3, (int)countOnly["totalResults"]!);
        Assert.Empty(countOnly["Resources"]!.AsArray());

        await ScimClient.ExpectErrorAsync(await scim.Http.GetAsync("/scim/v2/Users?count=ten"), HttpStatusCode.BadRequest, "invalidValue");
        await ScimClient.ExpectErrorAsync(await scim.Http.GetAsync("/scim/v2/Users?startIndex=1.5"), HttpStatusCode.BadRequest, "invalidValue");
    }

    [Fact]
    public async Task patch_applies_entra_and_okta_shapes()
    {
        var api = await ApiClient.CreateAsync(factory);
        var scim = await ScimClient.CreateAsync(factory, api);
        var id = (string)(await scim.CreateUserAsync("henry@example.com"))["id"]!;

        // Entra ID: capitalised ops, string booleans, filtered email paths, extension attributes.
        var entra = await ScimClient.ExpectAsync(await scim.PatchAsync($"/scim/v2/Users/{id}", new
        {
            schemas = new[] { "urn:ietf:params:scim:api:messages:2.0:PatchOp" },
            Operations = new object[]
            {
                new { op = "Replace", path = "displayName", value = "Henry H." },
                new { op = "Add", path = "name.givenName", value = "Henry" },
                new { op = "Replace", path = "emails[type eq \"work\"].value", value = "henry@work.example.com" },
                new { op = "Add", path = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", value = "Sales" },
                new { op = "Replace", path = "active", value = "False" },
            },
        }), HttpStatusCode.OK);
        Assert.Equal("Henry H.", (string?)entra["displayName"]);
        Assert.Equal("Henry", (string?)entra["name"]!["givenName"]);
        Assert.Equal("henry@work.example.com", (string?)entra["emails"]![0]!["value"]);
        Assert.Equal("work", (string?)entra["emails"]![0]!["type"]);
        Assert.False((bool)entra["active"]!);

        // Okta: no path, an object of attributes.
        var okta = await ScimClient.ExpectAsync(await scim.PatchAsync($"/scim/v2/Users/{id}", new
        {
            Operations = new[] { new { op = "replace", value = new { active = true, displayName = "Henry" } } },
        }), HttpStatusCode.OK);
        Assert.True((bool)okta["active"]!);
        Assert.Equal("Henry", (string?)okta["displayName"]);

        var removed = await ScimClient.ExpectAsync(await scim.PatchAsync($"/scim/v2/Users/{id}", new
        {
            Operations = new[] { new { op = "remove", path = "displayName" } },
        }), HttpStatusCode.OK);
        Assert.False(removed.ContainsKey("displayName"));
    }

    [Fact]
    public async Task bad_patch_operations_are_400_scim_errors_and_change_nothing()
    {
        var api = await ApiClient.CreateAsync(factory);
        var scim = await ScimClient.CreateAsync(factory, api);
        var id = (string)(await scim.CreateUserAsync("ivy@example.com"))["id"]!;
        var path = $"/scim/v2/Users/{id}";

        await ScimClient.ExpectErrorAsync(await scim.PatchAsync(path, new { Operations = new[] { new { op = "move", path = "active", value = false } } }), HttpStatusCode.BadRequest, "invalidSyntax");
        await ScimClient.ExpectErrorAsync(await scim.PatchAsync(path, new { Operations = new[] { new { op = "replace", path = "password", value = "x" } } }), HttpStatusCode.BadRequest, "invalidPath");
        await ScimClient.ExpectErrorAsync(await scim.PatchAsync(path, new { Operations = new[] { new { op = "replace", path = "active", value = "maybe" } } }), HttpStatusCode.BadRequest, "invalidValue");
        await ScimClient.ExpectErrorAsync(await scim.PatchAsync(path, new { Operations = new[] { new { op = "remove", path = "userName" } } }), HttpStatusCode.BadRequest, "invalidValue");
        await ScimClient.ExpectErrorAsync(await scim.PatchAsync(path, new { Operations = new[] { new { op = "remove" } } }), HttpStatusCode.BadRequest, "noTarget");
        await ScimClient.ExpectErrorAsync(await scim.PatchAsync(path, new { Operations = new[] { new { op = "replace", path = "id", value = "scimuser_x" } } }), HttpStatusCode.BadRequest, "mutability");
        await ScimClient.ExpectErrorAsync(await scim.PatchAsync(path, new { op = "replace" }), HttpStatusCode.BadRequest, "invalidSyntax");
        await ScimClient.ExpectErrorAsync(await scim.Http.PatchAsync(path, new StringContent("{not json", System.Text.Encoding.UTF8, "application/scim+json")), HttpStatusCode.BadRequest, "invalidSyntax");

        // All or nothing: a valid first operation followed by a bad one leaves the user as it was.
        await ScimClient.ExpectErrorAsync(await scim.PatchAsync(path, new
        {
            Operations = new object[] { new { op = "replace", path = "active", value = false }, new { op = "replace", path = "nickName", value = "x" } },
        }), HttpStatusCode.BadRequest, "invalidPath");
        var user = await ScimClient.ExpectAsync(await scim.Http.GetAsync(path), HttpStatusCode.OK);
        Assert.True((bool)user["active"]!);
        Assert.Equal("Display ivy@example.com", (string?)user["displayName"]);
        await ScimClient.ExpectErrorAsync(await scim.PatchAsync("/scim/v2/Users/scimuser_missing", new { Operations = new[] { new { op = "replace", path = "active", value = false } } }), HttpStatusCode.NotFound, null);
    }

    [Fact]
    public async Task tokens_never_cross_a_scim_token_on_v1_and_an_api_key_on_scim_are_401()
    {
        var api = await ApiClient.CreateAsync(factory);
        var scim = await ScimClient.CreateAsync(factory, api);

        var asApiKey = factory.CreateClient();
        asApiKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", scim.Token);
        await ApiClient.ExpectErrorAsync(await asApiKey.GetAsync("/v1/agents"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await ApiClient.ExpectErrorAsync(await asApiKey.GetAsync("/v1/scim/tokens"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");

        await ScimClient.ExpectErrorAsync(await api.Http.GetAsync("/scim/v2/Users"), HttpStatusCode.Unauthorized, "unauthorized");
        await ScimClient.ExpectErrorAsync(await api.Http.PostAsync("/scim/v2/Users", ScimClient.Json(new { userName = "mallory" })), HttpStatusCode.Unauthorized, "unauthorized");
        await ScimClient.ExpectErrorAsync(await factory.CreateClient().GetAsync("/scim/v2/Users"), HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(0, (int)(await ScimClient.ExpectAsync(await scim.Http.GetAsync("/scim/v2/Users"), HttpStatusCode.OK))["totalResults"]!);
    }
}
