using System.Net;
using System.Text.Json;

namespace Gateway.Tests;

/// <summary>Shared checks on responses: status, problem+json shape, JSON bodies.</summary>
public static class ApiAssertions
{
    public static async Task<JsonElement> ShouldBeJsonAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        string body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, body);
        (response.Content.Headers.ContentType?.MediaType).Should().Be("application/json");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>RFC 9457: application/problem+json with type, title, status (matching the response) and detail.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        string body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, body);
        (response.Content.Headers.ContentType?.MediaType).Should().Be("application/problem+json");
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        problem.GetProperty("type").GetString().Should().StartWith("https://");
        problem.GetProperty("title").GetString().Should().NotBeNullOrEmpty();
        problem.GetProperty("status").GetInt32().Should().Be((int)status);
        problem.GetProperty("detail").GetString().Should().NotBeNullOrEmpty();
        return problem;
    }

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;
}
