# fastgen:outputs - `fastgen g py#fast-api` adds the outputs of each new API above this line.
