// Command oms-sdkgen writes an SDK from a package schema with the code generators of the pinned pkg module: the ones
// a language host of the pinned CLI runs when `pulumi package gen-sdk` asks it (GeneratePackage). The module proxy
// reachable here refuses those hosts' own modules (see ../../sdkgen/tools.go), not the generators they call, so the
// SDKs a user of the pinned CLI would get for go, nodejs and python can still be built and checked.
//
//	oms-sdkgen <schema.json> <go|nodejs|python> <out>
//
// writes the SDK under <out>/<language>/ after binding the schema (with the metaschema check) as the CLI does.
//
//	oms-sdkgen import-code <schema.json> python <stack export.json> <urn>...
//
// prints the Python code `pulumi import` writes for the resources of those URNs in the state `pulumi stack export`
// printed: the CLI builds it with this module's importer and asks the program's language host to turn it into
// Python (GenerateProgram), which the served Python host (sdk v3.68.0) does not implement; a current host runs this
// module's Python program generator, as this does. Secrets in the state stay ciphertext: the code gets none.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/pkg/v3/importer"
	pkgresource "github.com/pulumi/pulumi/pkg/v3/resource"
	"github.com/pulumi/pulumi/pkg/v3/resource/stack"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

const tool = "oms-sdkgen"

// noPackages loads no other package: the schema refers to none.
type noPackages struct{}

var errNoPackages = errors.New("this schema may refer to no other package")

func (noPackages) LoadPackage(string, *semver.Version) (*schema.Package, error) {
	return nil, errNoPackages
}

func (noPackages) LoadPackageV2(context.Context, *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, errNoPackages
}

func (noPackages) LoadPackageReference(string, *semver.Version) (schema.PackageReference, error) {
	return nil, errNoPackages
}

func (noPackages) LoadPackageReferenceV2(context.Context, *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, errNoPackages
}

// onePackage loads the package of the schema and no other.
type onePackage struct{ pkg *schema.Package }

func (l onePackage) load(name string) (*schema.Package, error) {
	if name != l.pkg.Name {
		return nil, errNoPackages
	}
	return l.pkg, nil
}

func (l onePackage) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return l.load(name)
}

func (l onePackage) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.load(d.Name)
}

func (l onePackage) LoadPackageReference(name string, _ *semver.Version) (schema.PackageReference, error) {
	pkg, err := l.load(name)
	if err != nil {
		return nil, err
	}
	return pkg.Reference(), nil
}

func (l onePackage) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, nil)
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "%s: error: %v\n", tool, err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) > 0 && args[0] == "import-code" {
		return importCode(args[1:])
	}
	if len(args) != 3 {
		return errors.New("usage: oms-sdkgen <schema.json> <go|nodejs|python> <out>")
	}
	schemaPath, language, out := args[0], args[1], args[2]
	loader := noPackages{}
	pkg, err := bind(schemaPath)
	if err != nil {
		return err
	}
	var files map[string][]byte
	switch language {
	case "go":
		files, err = gogen.GeneratePackage(tool, pkg, nil)
	case "nodejs":
		files, err = nodejs.GeneratePackage(tool, pkg, nil, nil, false, loader)
	case "python":
		files, err = python.GeneratePackage(tool, pkg, nil, loader)
	default:
		return fmt.Errorf("language %q: this tool writes go, nodejs or python", language)
	}
	if err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(out, language, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("%d files in %s\n", len(names), filepath.Join(out, language))
	return nil
}

// bind reads and binds a schema as the CLI does, with the metaschema check.
func bind(schemaPath string) (*schema.Package, error) {
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", schemaPath, err)
	}
	pkg, diags, err := schema.BindSpec(spec, noPackages{}, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return pkg, nil
}

// secretsUnread reads every secret in the state as the JSON string "[secret]": the state holds secrets as values
// serialized to JSON, and the code generated here is to carry none.
type secretsUnread struct{}

func (secretsUnread) DecryptValue(context.Context, string) (string, error) { return `"[secret]"`, nil }

func (secretsUnread) BatchDecrypt(_ context.Context, ciphertexts []string) ([]string, error) {
	out := make([]string, len(ciphertexts))
	for i := range out {
		out[i] = `"[secret]"`
	}
	return out, nil
}

func importCode(args []string) error {
	if len(args) < 4 || args[1] != "python" {
		return errors.New("usage: oms-sdkgen import-code <schema.json> python <stack export.json> <urn>...")
	}
	pkg, err := bind(args[0])
	if err != nil {
		return err
	}
	data, err := os.ReadFile(args[2])
	if err != nil {
		return err
	}
	var exported struct {
		Deployment apitype.DeploymentV3 `json:"deployment"`
	}
	if err := json.Unmarshal(data, &exported); err != nil {
		return fmt.Errorf("%s: %w", args[2], err)
	}
	wanted := map[string]bool{}
	for _, urn := range args[3:] {
		wanted[urn] = true
	}
	var states, snapshot []*pkgresource.State
	for _, res := range exported.Deployment.Resources {
		state, err := stack.DeserializeResource(res, secretsUnread{})
		if err != nil {
			return err
		}
		snapshot = append(snapshot, state)
		if wanted[string(res.URN)] {
			states = append(states, state)
			delete(wanted, string(res.URN))
		}
	}
	for urn := range wanted {
		return fmt.Errorf("%s is not in %s", urn, args[2])
	}
	generate := func(w io.Writer, program *pcl.Program) error {
		files, diags, err := python.GenerateProgram(program)
		if err != nil {
			return err
		}
		if diags.HasErrors() {
			return diags
		}
		_, err = w.Write(files["__main__.py"])
		return err
	}
	return importer.GenerateLanguageDefinitions(
		os.Stdout, onePackage{pkg}, generate, states, snapshot, importer.NameTable{})
}
