// The API constructs of this workspace: `fastgen g py#fast-api` adds one line per API.
