using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Gateway.Api;

/// <summary>
/// Documents a JSON request body in OpenAPI without ASP.NET's Accepts metadata: that metadata also makes
/// routing answer a wrong content type with a bare 415 before our auth filter runs. We check the content
/// type ourselves (after the token) and return a problem.
/// </summary>
public sealed record JsonRequestBody(Type Type);

public static class JsonRequestBodyExtensions
{
    public static RouteHandlerBuilder AcceptsJson<T>(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new JsonRequestBody(typeof(T)));

    public static OpenApiOptions AddJsonRequestBodies(this OpenApiOptions options)
    {
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var body = context.Description.ActionDescriptor.EndpointMetadata.OfType<JsonRequestBody>().FirstOrDefault();
            if (body is null)
                return;
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = false,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken) },
                },
            };
        });
        return options;
    }
}
